import { z } from "zod";

/**
 * Dry runs: `?dryRun=true` on any ingestion endpoint checks the write key and every item
 * exactly as a real call would, answers what would be stored, and stores nothing. For trying
 * a key or a payload against the real installation without adding test data to it.
 */
export const DRY_RUN_PARAM = "dryRun";

const dryRunSchema = z.enum(["true", "false", "1", "0"], { error: "must be true or false" });

/** The `dryRun` query parameter: absent is false; anything but true/false/1/0 is an error. */
export function parseDryRun(value: string | null): { ok: true; dryRun: boolean } | { ok: false; message: string } {
  if (value === null) return { ok: true, dryRun: false };
  const parsed = dryRunSchema.safeParse(value);
  if (!parsed.success) return { ok: false, message: `The ${DRY_RUN_PARAM} parameter must be true or false.` };
  return { ok: true, dryRun: parsed.data === "true" || parsed.data === "1" };
}

const count = (description: string) => z.number().int().meta({ description });

/** What a dry run would have stored (the answer's `wouldStore`; also in the OpenAPI document). */
export const wouldStoreSchema = z
  .object({
    events: count("Events that would be stored (attributed to an account, or waiting for a user's link)."),
    waitingEvents: count("Of those, events that would wait for a user → account link."),
    accountsCreated: count("Accounts that would be created."),
    accountsUpdated: count("Existing accounts that would be updated."),
    eventTypesCreated: count("Event types that would be registered (with weight 0)."),
    outcomesCreated: count("Renewal outcomes that would be recorded for the first time."),
    outcomesUpdated: count("Recorded renewal outcomes that would be corrected."),
  })
  .meta({ id: "WouldStore", description: `Only in the answer to a dry run (?${DRY_RUN_PARAM}=true): what the same call would have stored. Nothing was.` });

export type WouldStore = z.infer<typeof wouldStoreSchema>;

/** The parts of a dry run's answer the admin pages read (from the browser: checked, not trusted). */
export const dryRunAnswerSchema = z.object({
  dryRun: z.literal(true),
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.array(z.unknown()),
  wouldStore: wouldStoreSchema,
});

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** A dry run's answer in words, e.g. "The key works. This call would store 1 event and create 1 account; nothing was stored." */
export function describeDryRun(answer: { accepted: number; duplicates: number; rejected: readonly unknown[]; wouldStore: WouldStore }): string {
  const w = answer.wouldStore;
  const parts: string[] = [];
  if (w.events > 0) parts.push(`store ${plural(w.events, "event", "events")}${w.waitingEvents > 0 ? ` (${w.waitingEvents.toLocaleString("en-US")} waiting for a user's account)` : ""}`);
  if (w.accountsCreated > 0) parts.push(`create ${plural(w.accountsCreated, "account", "accounts")}`);
  if (w.accountsUpdated > 0) parts.push(`update ${plural(w.accountsUpdated, "account", "accounts")}`);
  if (w.eventTypesCreated > 0) parts.push(`register ${plural(w.eventTypesCreated, "new event type", "new event types")} (weight 0)`);
  if (w.outcomesCreated > 0) parts.push(`record ${plural(w.outcomesCreated, "renewal outcome", "renewal outcomes")}`);
  if (w.outcomesUpdated > 0) parts.push(`correct ${plural(w.outcomesUpdated, "renewal outcome", "renewal outcomes")}`);
  const would = parts.length === 0 ? "This call would store nothing new" : `This call would ${parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`}`;
  const extras = [
    answer.duplicates > 0 ? `${plural(answer.duplicates, "item is a duplicate", "items are duplicates")}` : null,
    answer.rejected.length > 0 ? `${plural(answer.rejected.length, "item would be rejected", "items would be rejected")}` : null,
  ].filter((x): x is string => x !== null);
  return `The key works. ${would}${extras.length > 0 ? `; ${extras.join(" and ")}` : ""}. Nothing was stored (dry run).`;
}
