import { sql, type SQL } from "drizzle-orm";
import type { Db, Dialect, Queryable } from "./client";

/**
 * What a reader that follows a table by its ever-growing id has seen, and which rows are new
 * to it: the score sync follows `events` and `accounts`, the team views follow
 * `aggregate_changes` (docs/adr/0015-one-data-layer-for-sqlite-and-postgresql.md, addendum).
 *
 * SQLite has one writer at a time, so ids commit in order: a reader that saw id N has seen
 * every row up to N, and the rows new to it are those above N.
 *
 * PostgreSQL hands out identity values when rows are inserted, not when their transactions
 * commit: a transaction holding id 10 can commit after another's id 11, so "every id up to N"
 * is no horizon. Instead, each row of a followed table records the transaction that inserted
 * it (`tx xid8 DEFAULT pg_current_xact_id()`, migration 0008_commit_order), and a reader keeps
 * the snapshot it read in (`pg_current_snapshot()`). The rows new to it are exactly those whose
 * transaction that snapshot did not see: `tx >= pg_snapshot_xmin(S) AND NOT
 * pg_visible_in_snapshot(tx, S)` (everything below the snapshot's xmin had ended when it was
 * taken). Writers take no lock and never wait for readers or for each other; a reader that
 * must see one state for its whole length (a score writer) reads in a repeatable-read
 * transaction, whose snapshot is then its mark.
 *
 * Rows stored before that migration have a NULL `tx` and were all committed when it ran; a mark
 * without a snapshot (written before it) follows by id as before.
 */
const FOLLOWED = { events: "id", accounts: "id", aggregate_changes: "seq" } as const;

export type FollowedTable = keyof typeof FOLLOWED;

/**
 * Columns and indexes PostgreSQL has and SQLite has not: the commit order above. The schema
 * drift check and the SQLite → PostgreSQL transfer leave them out.
 */
export const POSTGRES_ONLY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  events: ["tx"],
  accounts: ["tx"],
  aggregate_changes: ["tx"],
  score_sync: ["snapshot"],
};
export const POSTGRES_ONLY_INDEXES: readonly string[] = ["events_tx_idx", "accounts_tx_idx", "aggregate_changes_tx_idx"];

/** Where a reader stands on a followed table. */
export interface FollowMark {
  /** The largest id it has seen (0: none). */
  id: number;
  /** PostgreSQL: the snapshot it read in (text form of pg_snapshot); null on SQLite and for marks older than commit order. */
  snapshot: string | null;
}

/**
 * Where `q` stands now on `table`, read in one statement (on PostgreSQL the largest id and the
 * snapshot describe one state; inside a repeatable-read transaction, that transaction's).
 */
export async function markOf(q: Queryable, table: FollowedTable): Promise<FollowMark> {
  const id = sql.identifier(FOLLOWED[table]);
  const name = sql.identifier(table);
  if (q.dialect === "sqlite") return { id: (await q.value<number>(sql`SELECT coalesce(max(${id}), 0) FROM ${name}`)) ?? 0, snapshot: null };
  const row = await q.get<FollowMark>(sql`SELECT coalesce(max(${id}), 0) AS id, pg_current_snapshot()::text AS snapshot FROM ${name}`);
  return row ?? { id: 0, snapshot: null };
}

/** A column of the followed table, qualified by `alias` when the query names the table so. */
function columnOf(alias: string | undefined): (name: string) => SQL {
  return (name) => (alias ? sql`${sql.identifier(alias)}.${sql.identifier(name)}` : sql`${sql.identifier(name)}`);
}

/**
 * A condition on `table`'s own columns (qualified by `alias` when given): the rows a reader at
 * `mark` has not seen. On PostgreSQL it is answered from the `tx` index.
 */
export function unseenBy(dialect: Dialect, table: FollowedTable, mark: FollowMark, alias?: string): SQL {
  const column = columnOf(alias);
  if (dialect === "sqlite" || mark.snapshot === null) return sql`${column(FOLLOWED[table])} > ${mark.id}`;
  const tx = column("tx");
  return sql`(${tx} >= pg_snapshot_xmin(${mark.snapshot}::pg_snapshot) AND NOT pg_visible_in_snapshot(${tx}, ${mark.snapshot}::pg_snapshot))`;
}

/** The condition's opposite: the rows a reader at `mark` has seen. */
export function seenBy(dialect: Dialect, table: FollowedTable, mark: FollowMark, alias?: string): SQL {
  const column = columnOf(alias);
  if (dialect === "sqlite" || mark.snapshot === null) return sql`${column(FOLLOWED[table])} <= ${mark.id}`;
  const tx = column("tx");
  return sql`(${tx} IS NULL OR pg_visible_in_snapshot(${tx}, ${mark.snapshot}::pg_snapshot))`;
}

/** Whether any committed row of `table` is new to a reader at `mark` (outside a transaction: what is committed now). */
export async function hasUnseen(q: Queryable, table: FollowedTable, mark: FollowMark): Promise<boolean> {
  const found = await q.value<number>(sql`SELECT 1 FROM ${sql.identifier(table)} WHERE ${unseenBy(q.dialect, table, mark)} LIMIT 1`);
  return found !== undefined;
}

/**
 * After a pg_restore: the restored rows carry transaction ids of the cluster they were dumped
 * from, which mean nothing here (a later one would look unseen to every mark). They become
 * "stored before commit order" (NULL), in place of a rewrite of every row, and the scores' mark
 * is forgotten. No-op on SQLite.
 */
export async function forgetCommitOrder(db: Db): Promise<void> {
  if (db.dialect !== "postgres") return;
  await db.transaction(async (tx) => {
    for (const table of Object.keys(FOLLOWED)) {
      const name = sql.identifier(table);
      await tx.run(sql`ALTER TABLE ${name} DROP COLUMN tx`);
      await tx.run(sql`ALTER TABLE ${name} ADD COLUMN tx xid8`);
      await tx.run(sql`ALTER TABLE ${name} ALTER COLUMN tx SET DEFAULT pg_current_xact_id()`);
      await tx.run(sql`CREATE INDEX ${sql.identifier(`${table}_tx_idx`)} ON ${name} (tx) WHERE tx IS NOT NULL`);
      // As in the migration: without statistics the planner scans the table for "tx >= X".
      await tx.run(sql`ANALYZE ${name} (tx)`);
    }
    // The scores' mark referred to the old cluster too: the next sync recomputes every score.
    await tx.run(sql`DELETE FROM score_sync`);
  });
}
