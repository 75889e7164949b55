import { MAX_TEXT_LENGTH } from "./limits";

/**
 * The key an event name is registered under: lower case, words joined by "_", so that
 * Segment's "Report Created", "report_created" and "Report-Created" are one event type.
 * Letters and digits of any script are kept. Returns null for a name with none.
 */
const keyCache = new Map<string, string | null>();

export function eventTypeKey(name: string): string | null {
  const cached = keyCache.get(name);
  if (cached !== undefined) return cached;
  const key = computeKey(name);
  if (keyCache.size >= 10_000) keyCache.clear();
  keyCache.set(name, key);
  return key;
}

function computeKey(name: string): string | null {
  const key = name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "");
  return key === "" ? null : key.slice(0, MAX_TEXT_LENGTH);
}

/** How a newly seen event type is labelled until an admin renames it: the name as sent. */
export function eventTypeLabel(name: string): string {
  return name.trim().replace(/\s+/g, " ").slice(0, MAX_TEXT_LENGTH);
}

/** Segment `page` and `screen` calls count as these event types. */
export const PAGE_EVENT_NAME = "Page Viewed";
export const SCREEN_EVENT_NAME = "Screen Viewed";
