import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { seenBy } from "@/db/commit-horizon";
import { followMark, loadScoreWatermark } from "@/lib/scoring/server/score-watermark";
import { todayDay, type DayNumber } from "@/lib/days";
import { DEFAULT_RETENTION_MONTHS, retentionCutoffDay, retentionPauseMillis, type RetentionSettings } from "@/lib/operations/retention";
import { yieldToEventLoop } from "@/lib/event-loop";
import { appendAudit, type AuditActor } from "./audit";

/**
 * Raw-event retention (docs/adr/0017-operating-the-product.md). Raw events older than the
 * setting are deleted in small batches, each its own short transaction, with the event loop
 * (and so ingestion) served between batches, which are paced (RETENTION_DUTY). Only events the materialised scores already
 * reflect (id ≤ the score watermark) are deleted, and rollups are kept: no score changes.
 */
export const RETENTION_JOB = "retention";
export const RETENTION_BATCH_SIZE = 5_000;

export async function getRetentionSettings(db: Db): Promise<RetentionSettings & { updatedAt: number | null; updatedBy: string | null }> {
  const row = await db.get<Columns<typeof schema.retentionSettings, "rawEventMonths" | "updatedAt" | "updatedBy">>(
    sql`SELECT raw_event_months AS "rawEventMonths", updated_at AS "updatedAt", updated_by AS "updatedBy" FROM retention_settings WHERE id = 1`,
  );
  return row ?? { rawEventMonths: DEFAULT_RETENTION_MONTHS, updatedAt: null, updatedBy: null };
}

export interface RetentionEffect {
  months: number | null;
  /** The first day kept; null when raw events are kept for ever. */
  cutoffDay: DayNumber | null;
  events: number;
  pendingEvents: number;
}

/** Days counted per statement by countEventsBefore. */
const COUNT_SPAN_DAYS = 7;

/**
 * Raw events before `cutoffDay`, counted a week at a time on the day-first index with a turn
 * of the event loop between weeks: one count(*) over the ~10 M events a first retention
 * deletes at 21 M stored held SQLite's synchronous connection, and with it every request,
 * for seconds; a week is ~400,000 index entries at the most, tens of milliseconds.
 */
async function countEventsBefore(db: Db, cutoffDay: DayNumber): Promise<number> {
  const first = await db.value<Column<typeof schema.events, "day"> | null>(sql`SELECT min(day) FROM events`);
  let total = 0;
  for (let from = first ?? cutoffDay; from < cutoffDay; from += COUNT_SPAN_DAYS) {
    const to = Math.min(cutoffDay, from + COUNT_SPAN_DAYS);
    total += (await db.value<number>(sql`SELECT count(*) FROM events WHERE day >= ${from} AND day < ${to}`)) ?? 0;
    await yieldToEventLoop();
  }
  return total;
}

/** What a retention setting would delete today (the preview shown before it is saved). */
export async function previewRetention(db: Db, params: { months: number | null; today?: DayNumber }): Promise<RetentionEffect> {
  if (params.months === null) return { months: null, cutoffDay: null, events: 0, pendingEvents: 0 };
  const cutoffDay = retentionCutoffDay(params.months, params.today ?? todayDay());
  const events = await countEventsBefore(db, cutoffDay);
  const pendingEvents = (await db.value<number>(sql`SELECT count(*) FROM pending_events WHERE day < ${cutoffDay}`)) ?? 0;
  return { months: params.months, cutoffDay, events, pendingEvents };
}

/** Saves the setting, audited with the before and after values. */
export async function saveRetentionSettings(db: Db, actor: AuditActor, settings: RetentionSettings): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getRetentionSettings(tx);
    await tx.run(sql`INSERT INTO retention_settings (id, raw_event_months, updated_at, updated_by) VALUES (1, ${settings.rawEventMonths}, ${Date.now()}, ${actor.name})
      ON CONFLICT (id) DO UPDATE SET raw_event_months = excluded.raw_event_months, updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
    await appendAudit(tx, actor, {
      action: "retention.save",
      target: "retention",
      details: { rawEventMonths: { from: before.rawEventMonths, to: settings.rawEventMonths } },
    });
  });
}

export interface RetentionRun {
  cutoffDay: DayNumber | null;
  deletedEvents: number;
  deletedPendingEvents: number;
  batches: number;
  millis: number;
}

/** Rests after a batch (retentionPauseMillis), serving the event loop, and so ingestion, meanwhile. */
const restAfter = (batchMillis: number, duty: number | undefined) =>
  new Promise<void>((resolve) => setTimeout(resolve, retentionPauseMillis(batchMillis, duty)));

/**
 * Deletes the raw events the setting no longer keeps, `batchSize` rows per transaction, and
 * rests after each batch so that deleting takes at most `duty` of the time (RETENTION_DUTY).
 * Returns what it deleted; `afterBatch` hears after each committed batch. Run it through
 * startRetentionJob (retention-job.ts), which makes sure one server at a time does.
 */
export async function applyRetention(
  db: Db,
  params: { today?: DayNumber; batchSize?: number; duty?: number; afterBatch?: (run: Readonly<RetentionRun>) => Promise<void> } = {},
): Promise<RetentionRun> {
  const started = performance.now();
  const batchSize = params.batchSize ?? RETENTION_BATCH_SIZE;
  const { rawEventMonths } = await getRetentionSettings(db);
  const run: RetentionRun = { cutoffDay: null, deletedEvents: 0, deletedPendingEvents: 0, batches: 0, millis: 0 };
  if (rawEventMonths === null) return run;
  const cutoffDay = retentionCutoffDay(rawEventMonths, params.today ?? todayDay());
  run.cutoffDay = cutoffDay;
  // Events the scores do not reflect yet wait for the next sync (a backfill of old events).
  const mark = (await loadScoreWatermark(db)) ?? { lastEventId: 0, lastAccountId: 0, snapshot: null };
  const reflected = seenBy(db.dialect, "events", followMark(mark, "events"));
  for (;;) {
    const batchStarted = performance.now();
    const deleted = await db.run(
      sql`DELETE FROM events WHERE id IN (SELECT id FROM events WHERE day < ${cutoffDay} AND ${reflected} LIMIT ${batchSize})`,
    );
    const batchMillis = performance.now() - batchStarted;
    run.deletedEvents += deleted.rowsAffected;
    run.batches++;
    await params.afterBatch?.(run);
    if (deleted.rowsAffected < batchSize) break;
    await restAfter(batchMillis, params.duty);
  }
  for (;;) {
    const batchStarted = performance.now();
    const deleted = await db.run(sql`DELETE FROM pending_events WHERE id IN (SELECT id FROM pending_events WHERE day < ${cutoffDay} LIMIT ${batchSize})`);
    const batchMillis = performance.now() - batchStarted;
    run.deletedPendingEvents += deleted.rowsAffected;
    run.batches++;
    await params.afterBatch?.(run);
    if (deleted.rowsAffected < batchSize) break;
    await restAfter(batchMillis, params.duty);
  }
  run.millis = Math.round(performance.now() - started);
  return run;
}
