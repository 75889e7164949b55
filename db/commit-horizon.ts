import { sql } from "drizzle-orm";
import type { Db, Tx } from "./client";

/**
 * "Every row with an id up to N is committed": what a reader that follows a table by its
 * ever-growing id needs (the score sync follows `events`, the team views follow
 * `aggregate_changes`).
 *
 * SQLite has one writer at a time, so max(id) read outside a transaction is that horizon.
 * PostgreSQL hands out identity values when rows are inserted, not when their transactions
 * commit: a transaction holding id 10 can commit after another's id 11, and a reader that saw
 * 11 and moved its mark past 10 would never read 10. So on PostgreSQL every transaction that
 * inserts into a followed table first takes the horizon lock SHARED (`holdWriteHorizon`: writers
 * do not block each other), and `committedHorizon` takes it EXCLUSIVELY for the instant it reads
 * max(id): it is granted only when no such writer is open, so every id up to that max is
 * committed. The exclusive request waits for open writers to commit and makes new ones wait
 * behind it for that instant only.
 */
const WRITE_HORIZON_LOCK = 7_263_011_942_157_001;

/** The tables followed by id, with the column each is followed by. */
const FOLLOWED = {
  events: sql`SELECT coalesce(max(id), 0) AS horizon FROM events`,
  accounts: sql`SELECT coalesce(max(id), 0) AS horizon FROM accounts`,
  aggregate_changes: sql`SELECT coalesce(max(seq), 0) AS horizon FROM aggregate_changes`,
} as const;

export type FollowedTable = keyof typeof FOLLOWED;

/**
 * Call first in every PostgreSQL transaction that inserts into a followed table (no-op on
 * SQLite). Held until the transaction ends.
 */
export async function holdWriteHorizon(tx: Tx): Promise<void> {
  if (tx.dialect === "postgres") await tx.run(sql`SELECT pg_advisory_xact_lock_shared(${WRITE_HORIZON_LOCK})`);
}

/** The largest id of `table` below which every row is committed (0 when empty). */
export async function committedHorizon(db: Db, table: FollowedTable): Promise<number> {
  const query = FOLLOWED[table];
  if (db.dialect === "sqlite") return (await db.value<number>(query)) ?? 0;
  return db.transaction(async (tx) => {
    await tx.run(sql`SELECT pg_advisory_xact_lock(${WRITE_HORIZON_LOCK})`);
    return (await tx.value<number>(query)) ?? 0;
  });
}

/**
 * For a transaction that must see the followed tables complete and still for its whole length
 * (the score writers: they read events and rollups and then move a watermark over events):
 * takes the horizon lock EXCLUSIVELY until it ends, so every writer that began before has
 * committed and none commits until this one does; inside, max(id) is the committed horizon.
 * It covers what holdWriteHorizon does (call one or the other, never both: two transactions
 * upgrading from shared would deadlock). No-op on SQLite (one writer at a time already).
 */
export async function freezeWriteHorizon(tx: Tx): Promise<void> {
  if (tx.dialect === "postgres") await tx.run(sql`SELECT pg_advisory_xact_lock(${WRITE_HORIZON_LOCK})`);
}
