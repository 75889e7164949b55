import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import type { Db, Queryable, Tx } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { hasUnseen, type FollowMark } from "@/db/commit-horizon";
import { isTransactionConflict } from "@/db/errors";
import { cachedStatement } from "@/db/query-cache";

/**
 * How far the materialised scores have taken events and accounts into account (table
 * score_sync, one row). Written by every full recompute and every incremental sync, in the
 * same transaction as the scores it describes.
 */
export type ScoreWatermark = Columns<typeof schema.scoreSync, "lastEventId" | "lastAccountId">;

export function readScoreWatermark(db: Database): ScoreWatermark | null {
  const row = cachedStatement<ScoreWatermark>(db, "SELECT last_event_id AS lastEventId, last_account_id AS lastAccountId FROM score_sync WHERE id = 1").get();
  return row ?? null;
}

/** The newest event and account ids stored (0 when there are none). */
export function latestIds(db: Database): ScoreWatermark {
  const lastEventId = cachedStatement<number | null>(db, "SELECT max(id) FROM events", { pluck: true }).get() ?? 0;
  const lastAccountId = cachedStatement<number | null>(db, "SELECT max(id) FROM accounts", { pluck: true }).get() ?? 0;
  return { lastEventId, lastAccountId };
}

/** Records that the scores now reflect everything up to `mark` (default: everything stored). */
export function writeScoreWatermark(db: Database, mark: ScoreWatermark = latestIds(db)): void {
  cachedStatement(
    db,
    `INSERT INTO score_sync (id, last_event_id, last_account_id, synced_at) VALUES (1, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET last_event_id = excluded.last_event_id, last_account_id = excluded.last_account_id, synced_at = excluded.synced_at`,
  ).run(mark.lastEventId, mark.lastAccountId, Date.now());
}

/*
 * The same on the data layer. On PostgreSQL ids commit out of order, so the mark is the score
 * writer's snapshot as well (db/commit-horizon.ts): every score writer runs in
 * scoreWriterTransaction, one at a time, in a repeatable-read transaction whose snapshot is
 * taken after it has the writers' lock. What it reads (events, rollups, accounts) is one
 * state, and the mark it writes is that state: the next writer applies exactly the events
 * that snapshot did not see, however the ingesting transactions interleaved. Ingestion takes no
 * lock of the score writers' and never waits for them.
 */

/** The stored mark on the data layer: the ids, plus the writer's snapshot on PostgreSQL. */
export interface ScoreMark extends ScoreWatermark {
  /**
   * The writer's pg_snapshot in its text form; null on SQLite and for marks written before
   * commit order (migration 0008). Declared here: a PostgreSQL-only column, which the SQLite
   * schema the row types come from does not have.
   */
  snapshot: string | null;
}

/** The score mark's view of one followed table. */
export function followMark(mark: ScoreMark, table: "events" | "accounts"): FollowMark {
  return { id: table === "events" ? mark.lastEventId : mark.lastAccountId, snapshot: mark.snapshot };
}

/**
 * Call first in every data-layer transaction that writes scores (sync, recompute, refresh), or
 * run it through scoreWriterTransaction, which does: on PostgreSQL, one score writer at a time
 * across every server on the database (a second one WAITS rather than skips: when it gets the
 * lock it reads the watermark and applies only what the first left, so an event ingested
 * through it still reaches the scores before it answers, and no delta is applied twice).
 * `LOCK TABLE` is the one statement that does not fix a repeatable-read transaction's
 * snapshot, so the snapshot taken by the next statement already sees the previous writer's
 * commit. No-op on SQLite, whose transactions are one writer at a time.
 */
export async function lockScoreWriters(tx: Tx): Promise<void> {
  if (tx.dialect !== "postgres") return;
  await tx.run(sql`LOCK TABLE score_sync IN SHARE ROW EXCLUSIVE MODE`);
}

/** How often a score writer's transaction runs after a serialization failure or deadlock (isTransactionConflict). */
const WRITER_ATTEMPTS = 5;

/**
 * A score writer's transaction: lockScoreWriters first, then `work`, in one repeatable-read
 * transaction on PostgreSQL (run again from the start when another transaction changed a row
 * it updates, e.g. a signup date clearing first_day). On SQLite, an ordinary transaction.
 */
export async function scoreWriterTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.dialect !== "postgres") return db.transaction(work);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(
        async (tx) => {
          await lockScoreWriters(tx);
          return work(tx);
        },
        { isolation: "repeatable read" },
      );
    } catch (error) {
      if (attempt >= WRITER_ATTEMPTS || !isTransactionConflict(error)) throw error;
    }
  }
}

export async function loadScoreWatermark(db: Db): Promise<ScoreMark | null> {
  const snapshot = db.dialect === "postgres" ? sql`snapshot` : sql`NULL`;
  const row = await db.get<ScoreMark>(
    sql`SELECT last_event_id AS "lastEventId", last_account_id AS "lastAccountId", ${snapshot} AS snapshot FROM score_sync WHERE id = 1`,
  );
  return row ?? null;
}

/**
 * Where the scores would stand if written now: the newest ids and (PostgreSQL) the snapshot,
 * in one statement. Inside a score writer's transaction, that transaction's own state.
 */
export async function currentScoreMark(q: Queryable): Promise<ScoreMark> {
  const snapshot = q.dialect === "postgres" ? sql`pg_current_snapshot()::text` : sql`NULL`;
  const row = await q.get<ScoreMark>(
    sql`SELECT (SELECT coalesce(max(id), 0) FROM events) AS "lastEventId", (SELECT coalesce(max(id), 0) FROM accounts) AS "lastAccountId", ${snapshot} AS snapshot`,
  );
  return row ?? { lastEventId: 0, lastAccountId: 0, snapshot: null };
}

/** Whether an event or an account is stored (committed, or in the writer's snapshot) that the scores at `mark` do not reflect. */
export async function anythingUnseen(q: Queryable, mark: ScoreMark | null): Promise<boolean> {
  if (!mark) return (await q.value<number>(sql`SELECT 1 FROM accounts LIMIT 1`)) !== undefined;
  return (await hasUnseen(q, "events", followMark(mark, "events"))) || (await hasUnseen(q, "accounts", followMark(mark, "accounts")));
}

/** writeScoreWatermark on the data layer, inside the score writer's transaction. */
export async function saveScoreWatermark(tx: Tx, mark: ScoreMark): Promise<void> {
  const now = Date.now();
  if (tx.dialect === "postgres") {
    await tx.run(
      sql`INSERT INTO score_sync (id, last_event_id, last_account_id, synced_at, snapshot) VALUES (1, ${mark.lastEventId}, ${mark.lastAccountId}, ${now}, ${mark.snapshot})
        ON CONFLICT (id) DO UPDATE SET last_event_id = excluded.last_event_id, last_account_id = excluded.last_account_id, synced_at = excluded.synced_at, snapshot = excluded.snapshot`,
    );
    return;
  }
  await tx.run(
    sql`INSERT INTO score_sync (id, last_event_id, last_account_id, synced_at) VALUES (1, ${mark.lastEventId}, ${mark.lastAccountId}, ${now})
      ON CONFLICT (id) DO UPDATE SET last_event_id = excluded.last_event_id, last_account_id = excluded.last_account_id, synced_at = excluded.synced_at`,
  );
}
