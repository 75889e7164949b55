import { z } from "zod";
import { ACCOUNT_FIELDS, type AccountField, type AccountPatch } from "./account-fields";

/**
 * Older never overwrites newer. Every account field remembers the own time of the message
 * that last set it; a message applies a field only when it is at least as new as that time
 * (on a tie the later arrival wins, as before). Each field is judged on its own: an old
 * message that sets `plan` and `region` still sets `region` when only `plan` was set since.
 */

/** When each field was last set (ms since epoch); a missing field was never set by a message. */
export type FieldTimes = Partial<Record<AccountField, number>>;

const KNOWN_FIELDS = new Set<string>(ACCOUNT_FIELDS);

const storedTimesSchema = z.record(z.string(), z.number().finite());

/** The stored JSON (accounts.field_times) as field times; unknown names and bad values are dropped. */
export function parseFieldTimes(text: string | null | undefined): FieldTimes {
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  const parsed = storedTimesSchema.safeParse(raw);
  if (!parsed.success) return {};
  const times: FieldTimes = {};
  for (const [field, ms] of Object.entries(parsed.data)) if (KNOWN_FIELDS.has(field)) times[field as AccountField] = ms;
  return times;
}

export function serializeFieldTimes(times: FieldTimes): string {
  return JSON.stringify(times);
}

export interface NewerFields {
  /** The fields of the patch the message may apply. */
  patch: AccountPatch;
  /** The field times once they are applied. */
  times: FieldTimes;
  /** Whether the patch applies at all (some field of it is not older than what is stored). */
  applies: boolean;
}

/** What a message of time `at` may change of an account whose fields were set at `times`. */
export function newerFields(patch: AccountPatch, at: number, times: FieldTimes): NewerFields {
  const applied: Record<string, unknown> = {};
  const next: FieldTimes = { ...times };
  let applies = false;
  for (const field of Object.keys(patch) as AccountField[]) {
    const value = patch[field];
    if (value === undefined) continue;
    const stored = times[field];
    if (stored !== undefined && stored > at) continue;
    applied[field] = value;
    next[field] = at;
    applies = true;
  }
  return { patch: applied as AccountPatch, times: next, applies };
}

/**
 * The time a message speaks for, for ordering: its own time, but never later than when it
 * arrived. A device whose clock runs ahead (up to a day is accepted for events) must not lock
 * a field against the corrections that follow it.
 */
export function orderingTime(messageTime: number, receivedAt: number): number {
  return Math.min(messageTime, receivedAt);
}
