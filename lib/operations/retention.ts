import { z } from "zod";
import { addMonths, isoDateFromDay, type DayNumber } from "../days";

/**
 * Raw-event retention, as pure rules (the job that applies them is
 * lib/operations/server/retention.ts). Rollups and scores are kept for ever, so retention
 * changes no score: it only bounds the raw events' disk space.
 */
export const DEFAULT_RETENTION_MONTHS = 13;
/** Scores and their year of history are computed from rollups; raw events need not outlive a year. */
export const MIN_RETENTION_MONTHS = 1;
export const MAX_RETENTION_MONTHS = 120;

/** The 409 of "Apply now" while a run deletes: what is happening and that there is nothing to do but watch. */
export const RETENTION_ALREADY_RUNNING =
  "A retention run is already deleting old raw events, on this or another server; its progress shows below. There is no need to start another: it deletes everything past the retention period.";

/** months: whole months of raw events to keep, or null to keep them for ever. */
export const retentionSettingsSchema = z.object({
  rawEventMonths: z
    .number({ error: "rawEventMonths must be a whole number of months, or null to keep raw events for ever" })
    .int("rawEventMonths must be a whole number of months")
    .min(MIN_RETENTION_MONTHS, `rawEventMonths must be at least ${MIN_RETENTION_MONTHS}`)
    .max(MAX_RETENTION_MONTHS, `rawEventMonths must be at most ${MAX_RETENTION_MONTHS} (ten years); use null to keep raw events for ever`)
    .nullable(),
});

export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

/**
 * The first UTC day that is kept when `months` months are kept on `today`: raw events of
 * earlier days are deleted. 13 months on 2026-12-07 keeps 2025-11-07 onwards (the same day of
 * the month, clamped to the month's end: 1 month on 03-31 keeps 02-28 onwards).
 */
export function retentionCutoffDay(months: number, today: DayNumber): DayNumber {
  return addMonths(today, -months);
}

/** "4.1 M" / "12,345" / "1" — how many rows, for the preview sentence. */
export function formatRowCount(count: number): string {
  if (count >= 1_000_000) return `${(Math.floor(count / 100_000) / 10).toLocaleString("en-US")} M`;
  return count.toLocaleString("en-US");
}

/** The preview sentence an admin reads before saving. */
export function retentionEffectSentence(effect: { months: number | null; cutoffDay: DayNumber | null; events: number; pendingEvents: number }): string {
  if (effect.months === null || effect.cutoffDay === null) return "Raw events are kept for ever: nothing is deleted.";
  const total = effect.events + effect.pendingEvents;
  const before = isoDateFromDay(effect.cutoffDay);
  if (total === 0) return `Nothing to delete: no raw event is older than ${before}.`;
  const noun = total === 1 ? "event" : "events";
  return `This deletes ${formatRowCount(total)} raw ${noun} older than ${before}. Rollups and scores are kept.`;
}

/**
 * How far a running retention run is, for the admin: the percentage of what it expected to
 * delete (rounded down, never 100 before it ends, capped: events can be deleted beyond the
 * preview's count when older events arrive meanwhile) and the sentence shown beside the bar.
 */
export function retentionProgress(run: { done: number; total: number }): { percent: number; sentence: string } {
  if (run.total === 0) {
    return { percent: 0, sentence: run.done === 0 ? "Counting the raw events to delete…" : `Deleted ${run.done.toLocaleString("en-US")} raw events so far.` };
  }
  const percent = Math.min(99, Math.floor((run.done / run.total) * 100));
  return { percent, sentence: `Deleted ${run.done.toLocaleString("en-US")} of ${run.total.toLocaleString("en-US")} raw events (${percent} %).` };
}

/**
 * The share of the time the retention job spends deleting: after each batch it waits so that
 * deleting takes at most this share (a batch of 200 ms is followed by 3.8 s of rest). Without
 * it the batches ran back to back with only a turn of the event loop between them, and on
 * SQLite, whose statements run on the event loop, ingestion got ~40 % of its rate (the
 * benchmark's operations part); at 20 % it got 84–86 % on a quiet machine at 21 M events,
 * where the target is 95 %. A first run over 10 M events takes a few hours in the
 * background; runs after it delete one day's events an hour, in well under a minute.
 */
export const RETENTION_DUTY = 0.05;

/** How long to rest after a batch that took `batchMillis`, for the job to delete at most `duty` of the time. */
export function retentionPauseMillis(batchMillis: number, duty = RETENTION_DUTY): number {
  if (!(batchMillis > 0) || duty >= 1) return 0;
  return Math.round((batchMillis * (1 - duty)) / duty);
}
