import "server-only";
import type { Database } from "@/db";

/**
 * How far the materialised scores have taken events and accounts into account (table
 * score_sync, one row). Written by every full recompute and every incremental sync, in the
 * same transaction as the scores it describes.
 */
export interface ScoreWatermark {
  lastEventId: number;
  lastAccountId: number;
}

export function readScoreWatermark(db: Database): ScoreWatermark | null {
  const row = db.sqlite.prepare("SELECT last_event_id AS lastEventId, last_account_id AS lastAccountId FROM score_sync WHERE id = 1").get() as
    | ScoreWatermark
    | undefined;
  return row ?? null;
}

/** The newest event and account ids stored (0 when there are none). */
export function latestIds(db: Database): ScoreWatermark {
  const lastEventId = (db.sqlite.prepare("SELECT max(id) FROM events").pluck().get() as number | null) ?? 0;
  const lastAccountId = (db.sqlite.prepare("SELECT max(id) FROM accounts").pluck().get() as number | null) ?? 0;
  return { lastEventId, lastAccountId };
}

/** Records that the scores now reflect everything up to `mark` (default: everything stored). */
export function writeScoreWatermark(db: Database, mark: ScoreWatermark = latestIds(db)): void {
  db.sqlite
    .prepare(
      `INSERT INTO score_sync (id, last_event_id, last_account_id, synced_at) VALUES (1, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET last_event_id = excluded.last_event_id, last_account_id = excluded.last_account_id, synced_at = excluded.synced_at`,
    )
    .run(mark.lastEventId, mark.lastAccountId, Date.now());
}
