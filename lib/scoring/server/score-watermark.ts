import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import type { Db, Tx } from "@/db/client";
import { committedHorizon, freezeWriteHorizon } from "@/db/commit-horizon";

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
  const row = db.sqlite.prepare<unknown[], ScoreWatermark>("SELECT last_event_id AS lastEventId, last_account_id AS lastAccountId FROM score_sync WHERE id = 1").get();
  return row ?? null;
}

/** The newest event and account ids stored (0 when there are none). */
export function latestIds(db: Database): ScoreWatermark {
  const lastEventId = db.sqlite.prepare<unknown[], number | null>("SELECT max(id) FROM events").pluck().get() ?? 0;
  const lastAccountId = db.sqlite.prepare<unknown[], number | null>("SELECT max(id) FROM accounts").pluck().get() ?? 0;
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

/*
 * The same on the data layer. On PostgreSQL identity ids commit out of order
 * (db/commit-horizon.ts): a reader outside a transaction uses committedIds, never max(id);
 * a score writer takes lockScoreWriters first and then reads latestIdsIn, which under that
 * lock is the committed horizon.
 */

/** Advisory lock key of the score writers (distinct from db/commit-horizon.ts's, db/postgres-migrate.ts's and the alerts'). */
const SCORE_WRITERS_LOCK = 7_263_011_942_157_002;

/**
 * Call first in every data-layer transaction that writes scores (sync, recompute, refresh):
 * on PostgreSQL, one score writer at a time across every server on the database (a second
 * one WAITS rather than skips: when it gets the lock it re-reads the watermark and applies only
 * what the first left, so an event ingested through it still reaches the scores before it
 * answers, and no delta is applied twice), and the followed tables frozen until commit, so
 * the events and rollups it reads are exactly those up to the watermark it writes. This lock
 * covers holdWriteHorizon's duty for the aggregate_changes rows the writer inserts. No-op on
 * SQLite, whose transactions are one writer at a time.
 */
export async function lockScoreWriters(tx: Tx): Promise<void> {
  if (tx.dialect !== "postgres") return;
  await tx.run(sql`SELECT pg_advisory_xact_lock(${SCORE_WRITERS_LOCK})`);
  await freezeWriteHorizon(tx);
}

export async function loadScoreWatermark(db: Db): Promise<ScoreWatermark | null> {
  const row = await db.get<ScoreWatermark>(sql`SELECT last_event_id AS "lastEventId", last_account_id AS "lastAccountId" FROM score_sync WHERE id = 1`);
  return row ?? null;
}

/** Every event and account id up to these is committed (call outside a transaction). */
export async function committedIds(db: Db): Promise<ScoreWatermark> {
  return { lastEventId: await committedHorizon(db, "events"), lastAccountId: await committedHorizon(db, "accounts") };
}

/** The newest ids, inside a transaction that holds lockScoreWriters (where they are the committed horizon). */
export async function latestIdsIn(tx: Tx): Promise<ScoreWatermark> {
  const row = await tx.get<ScoreWatermark>(
    sql`SELECT (SELECT coalesce(max(id), 0) FROM events) AS "lastEventId", (SELECT coalesce(max(id), 0) FROM accounts) AS "lastAccountId"`,
  );
  return row ?? { lastEventId: 0, lastAccountId: 0 };
}

/** Whether `mark` covers `latest`. */
export function covers(mark: ScoreWatermark | null, latest: ScoreWatermark): boolean {
  return mark !== null && mark.lastEventId >= latest.lastEventId && mark.lastAccountId >= latest.lastAccountId;
}

/** writeScoreWatermark on the data layer, inside the score writer's transaction. */
export async function saveScoreWatermark(tx: Tx, mark: ScoreWatermark): Promise<void> {
  await tx.run(
    sql`INSERT INTO score_sync (id, last_event_id, last_account_id, synced_at) VALUES (1, ${mark.lastEventId}, ${mark.lastAccountId}, ${Date.now()})
      ON CONFLICT (id) DO UPDATE SET last_event_id = excluded.last_event_id, last_account_id = excluded.last_account_id, synced_at = excluded.synced_at`,
  );
}
