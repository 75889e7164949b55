/**
 * The bare reference's database (issue 19): the least a server must store to keep the
 * product's durable guarantees, with day-first keys only.
 * - every raw event kept (`events`, rowid table: appends at the right-hand edge);
 * - exact dedupe on (day, message_id): a unique index whose live region is today's;
 * - a daily rollup per (day, account, type), upserted in the same transaction.
 * Nothing else: no account-ordered index, no scores. The product does more (per-account
 * reads, scores current within a second); the benchmark holds it to a share of this.
 */
import type BetterSqlite3 from "better-sqlite3";
import { applyConnectionPragmas } from "../../db/pragmas";

export const REFERENCE_TABLES = `
CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS event_types (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL,
  type_id INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  day INTEGER NOT NULL,
  quantity INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS daily_rollups (
  day INTEGER NOT NULL,
  account_id INTEGER NOT NULL,
  type_id INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (day, account_id, type_id)
) WITHOUT ROWID;
`;

/** Built after a bulk copy (one sort instead of 20 M random inserts). */
export const REFERENCE_INDEXES = "CREATE UNIQUE INDEX IF NOT EXISTS events_day_message_uq ON events (day, message_id);";

/**
 * Fills a new reference database file from a product database: the same accounts, event
 * types, events (same ids) and rollups, so both start from the same history. Written without
 * a journal (a half-built file is thrown away) and switched to WAL at the end.
 */
export function copyIntoReference(sqlite: BetterSqlite3.Database, productFile: string): { events: number; rollups: number } {
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -262144");
  sqlite.exec(REFERENCE_TABLES);
  sqlite.prepare("ATTACH DATABASE ? AS product").run(productFile);
  try {
    sqlite.transaction(() => {
      sqlite.exec("INSERT INTO accounts (id, external_id) SELECT id, external_id FROM product.accounts ORDER BY id");
      sqlite.exec("INSERT INTO event_types (id, key) SELECT id, key FROM product.event_types ORDER BY id");
      sqlite.exec(
        `INSERT INTO events (id, account_id, type_id, occurred_at, day, quantity, message_id, received_at)
         SELECT id, account_id, type_id, occurred_at, day, quantity, message_id, received_at FROM product.events ORDER BY id`,
      );
      sqlite.exec(
        `INSERT INTO daily_rollups (day, account_id, type_id, count)
         SELECT day, account_id, type_id, count FROM product.daily_rollups ORDER BY day, account_id, type_id`,
      );
      sqlite.exec(REFERENCE_INDEXES);
    })();
  } finally {
    sqlite.exec("DETACH DATABASE product");
  }
  applyConnectionPragmas(sqlite);
  return {
    events: sqlite.prepare("SELECT count(*) FROM events").pluck().get() as number,
    rollups: sqlite.prepare("SELECT count(*) FROM daily_rollups").pluck().get() as number,
  };
}
