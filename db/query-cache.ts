import "server-only";
import type BetterSqlite3 from "better-sqlite3";
import type { Database } from "@/db";
import type { Db } from "@/db/client";
import { dataVersion as dataVersionQuery } from "@/db/dialect";
import { expectRow } from "@/db/sqlite-client";

/**
 * Result caches for queries that run over and over (list totals, list counts, filter options,
 * the overview): memoUntilChange on the data layer (db/client.ts), kept until anything is
 * written by any connection or server.
 *
 * Beside it, the same two caches on the legacy synchronous SQLite connection, for the code not
 * on the data layer yet (the score writers, the recompute):
 * - prepared statements by SQL text (compiling one costs about as much as running a page);
 * - results that only change when data changes (list totals, list counts, filter options),
 *   dropped as soon as anything is written. "Anything written" is SQLite's own bookkeeping:
 *   total_changes() counts this connection's writes, PRAGMA data_version moves when another
 *   connection (an import, a seed, another server process) commits. Both cost microseconds.
 */
const MAX_ENTRIES = 500;

interface Caches {
  statements: Map<string, BetterSqlite3.Statement>;
  version: string;
  results: Map<string, unknown>;
}

const byDatabase = new WeakMap<Database, Caches>();

function cachesFor(db: Database): Caches {
  let caches = byDatabase.get(db);
  if (!caches) {
    caches = { statements: new Map(), version: "", results: new Map() };
    byDatabase.set(db, caches);
  }
  return caches;
}

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
  return value;
}

/**
 * A prepared statement for this SQL, compiled once per connection, returning `Row` (the value,
 * when plucked). The row type is the caller's statement about its SQL, as with `prepare<_, Row>`.
 */
export function cachedStatement<Row = unknown>(db: Database, sql: string, options: { pluck?: boolean } = {}): BetterSqlite3.Statement<unknown[], Row> {
  const key = `${options.pluck ? "pluck" : "rows"}\u0000${sql}`;
  const { statements } = cachesFor(db);
  const hit = statements.get(key);
  // The key is the SQL itself, so the statement found is the one compiled for this Row.
  if (hit) return hit as BetterSqlite3.Statement<unknown[], Row>;
  const statement = db.sqlite.prepare<unknown[], Row>(sql);
  if (options.pluck) statement.pluck();
  remember(statements, key, statement);
  return statement;
}

function dataVersion(db: Database): string {
  const other = Number(db.sqlite.pragma("data_version", { simple: true }));
  const own = expectRow(cachedStatement<number>(db, "SELECT total_changes()", { pluck: true }).get(), "total_changes()");
  return `${other}:${own}`;
}

/**
 * The result of `compute` for this key, recomputed only after the database changed. The value
 * is shared between callers: treat it as read-only.
 */
export function memoUntilWrite<T>(db: Database, key: string, compute: () => T): T {
  const caches = cachesFor(db);
  const version = dataVersion(db);
  if (caches.version !== version) {
    caches.version = version;
    caches.results.clear();
  }
  if (caches.results.has(key)) return caches.results.get(key) as T;
  const value = compute();
  remember(caches.results, key, value);
  return value;
}

interface ResultCache {
  version: string;
  results: Map<string, Promise<unknown>>;
}

const byDb = new WeakMap<Db, ResultCache>();

/** The database handle a consistent read's transaction belongs to: its results are cached for the handle. */
const cacheOwners = new WeakMap<Db, Db>();

/**
 * Runs the reads of one answer (a page of a list with its total, the overview, an account page)
 * on ONE snapshot of the database. On PostgreSQL, separate statements each see what is committed
 * when they start: a recompute committed by any server between two of them would give an answer
 * half in the old scores and half in the new (a page of the old list with the new scores, a score
 * without its weights). A REPEATABLE READ transaction sees one snapshot throughout, and
 * memoUntilChange inside it reads the data version of that snapshot (its results stay shared with
 * every other request). SQLite's one connection per server needs no transaction here.
 */
export async function readConsistently<T>(db: Db, work: (snapshot: Db) => Promise<T>): Promise<T> {
  if (db.dialect !== "postgres") return work(db);
  return db.transaction(
    async (tx) => {
      cacheOwners.set(tx, cacheOwners.get(db) ?? db);
      return work(tx);
    },
    { isolation: "repeatable read" },
  );
}

/**
 * The result of `compute` for this key on the data layer's interface, recomputed only after
 * anything was written to the database (db/dialect.ts dataVersion: on PostgreSQL, by any
 * server). Concurrent callers share one computation; a failed one is not kept. The value is
 * shared between callers: treat it as read-only.
 *
 * The version is read before computing, so a result may include writes newer than its
 * version: the next call then sees a new version and computes again (never a stale hit).
 */
export async function memoUntilChange<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  const version = await db.value<string>(dataVersionQuery(db.dialect));
  if (version === undefined) throw new Error("the database's data version query returned no row");
  const owner = cacheOwners.get(db) ?? db;
  let cache = byDb.get(owner);
  if (!cache || cache.version !== version) {
    // A new map, not a cleared one: computations begun under the old version finish into it.
    cache = { version, results: new Map() };
    byDb.set(owner, cache);
  }
  const { results } = cache;
  const hit = results.get(key);
  if (hit) return hit as Promise<T>;
  const pending = compute();
  remember(results, key, pending);
  pending.catch(() => {
    if (results.get(key) === pending) results.delete(key);
  });
  return pending;
}
