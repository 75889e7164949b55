import type BetterSqlite3 from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { Db, Dialect, RunResult, Tx } from "./client";
import { ConnectionLock } from "./connection-lock";

/**
 * The SQLite side of the data layer (db/client.ts) on one better-sqlite3 connection.
 *
 * better-sqlite3 is synchronous, so a query runs to completion when called. What needs care
 * is a transaction whose work awaits: while it is open, another request's query would run
 * on the same connection INSIDE it (and be rolled back with it). So a transaction holds the
 * connection lock, and every query outside it waits for the lock first; inside, the
 * transaction's own handle runs queries directly. With no transaction open a query runs at
 * once: the lock check is one property read.
 */
const dialect = new SQLiteSyncDialect();
const MAX_STATEMENTS = 1000;

type Mode = "all" | "get" | "value" | "run";

/**
 * Brands that survive module duplication: Next.js may load this file more than once (one copy
 * per server bundle), while getDb() keeps ONE handle on globalThis, so `instanceof` against
 * this copy's class can be false for a handle another copy made.
 */
const SQLITE_DB = Symbol.for("ces.db.sqlite");
const SQLITE_TX = Symbol.for("ces.db.sqlite-transaction");

export class SqliteDb implements Db {
  readonly [SQLITE_DB] = true;
  readonly dialect: Dialect = "sqlite";
  readonly lock = new ConnectionLock();
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    /** The connection, for SQLite-only fast paths: use it through `exclusive`. */
    readonly sqlite: BetterSqlite3.Database,
    readonly file: string,
  ) {}

  /** A prepared statement for this SQL text, compiled once per connection. */
  prepare(text: string, pluck = false): BetterSqlite3.Statement {
    const key = pluck ? `v\u0000${text}` : text;
    const hit = this.statements.get(key);
    if (hit) return hit;
    const statement = this.sqlite.prepare(text);
    if (pluck && statement.reader) statement.pluck();
    if (this.statements.size >= MAX_STATEMENTS) {
      const oldest = this.statements.keys().next();
      if (!oldest.done) this.statements.delete(oldest.value);
    }
    this.statements.set(key, statement);
    return statement;
  }

  /** Runs a query now, on the connection (the caller holds the lock or knows it is free). */
  execute(query: SQL, mode: Mode): unknown {
    const compiled = dialect.sqlToQuery(query);
    const params = compiled.params.map(toSqliteValue);
    const statement = this.prepare(compiled.sql, mode === "value");
    if (!statement.reader) {
      const info = statement.run(...params);
      return mode === "run" ? { rowsAffected: info.changes } : mode === "all" ? [] : undefined;
    }
    if (mode === "all") return statement.all(...params);
    if (mode === "run") {
      statement.all(...params);
      return { rowsAffected: 0 };
    }
    return statement.get(...params);
  }

  private async outside(query: SQL, mode: Mode): Promise<unknown> {
    if (this.lock.held) await this.lock.waitUntilFree();
    return this.execute(query, mode);
  }

  async all<Row>(query: SQL): Promise<Row[]> {
    return (await this.outside(query, "all")) as Row[];
  }

  async get<Row>(query: SQL): Promise<Row | undefined> {
    return (await this.outside(query, "get")) as Row | undefined;
  }

  async value<Value>(query: SQL): Promise<Value | undefined> {
    return (await this.outside(query, "value")) as Value | undefined;
  }

  async run(query: SQL): Promise<RunResult> {
    return (await this.outside(query, "run")) as RunResult;
  }

  /**
   * Runs synchronous work on the raw connection while no transaction of this process is open
   * (SQLite-only fast paths: bulk ingestion, the recompute's bulk writes). The work may open
   * its own better-sqlite3 transaction.
   */
  async exclusive<T>(work: (sqlite: BetterSqlite3.Database) => T): Promise<T> {
    const release = await this.lock.acquire();
    try {
      return work(this.sqlite);
    } finally {
      release();
    }
  }

  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const release = await this.lock.acquire();
    try {
      return await runInTransaction(this, work, 0);
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    const release = await this.lock.acquire();
    try {
      this.statements.clear();
      if (this.sqlite.open) this.sqlite.close();
    } finally {
      release();
    }
  }
}

/** The handle a transaction's work gets: runs on the connection directly (it holds the lock). */
class SqliteTx implements Db {
  readonly [SQLITE_TX] = true;
  readonly dialect: Dialect = "sqlite";

  constructor(
    readonly root: SqliteDb,
    private readonly depth: number,
  ) {}

  async all<Row>(query: SQL): Promise<Row[]> {
    return this.root.execute(query, "all") as Row[];
  }

  async get<Row>(query: SQL): Promise<Row | undefined> {
    return this.root.execute(query, "get") as Row | undefined;
  }

  async value<Value>(query: SQL): Promise<Value | undefined> {
    return this.root.execute(query, "value") as Value | undefined;
  }

  async run(query: SQL): Promise<RunResult> {
    return this.root.execute(query, "run") as RunResult;
  }

  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return runInTransaction(this.root, work, this.depth + 1);
  }

  async close(): Promise<void> {
    throw new Error("close() inside a transaction: close the database, not the transaction");
  }
}

async function runInTransaction<T>(root: SqliteDb, work: (tx: Tx) => Promise<T>, depth: number): Promise<T> {
  const savepoint = `sp${depth}`;
  root.sqlite.exec(depth === 0 ? "BEGIN IMMEDIATE" : `SAVEPOINT ${savepoint}`);
  try {
    const result = await work(new SqliteTx(root, depth));
    root.sqlite.exec(depth === 0 ? "COMMIT" : `RELEASE ${savepoint}`);
    return result;
  } catch (error) {
    if (root.sqlite.inTransaction) root.sqlite.exec(depth === 0 ? "ROLLBACK" : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
    throw error;
  }
}

/**
 * Runs synchronous work on SQLite's raw connection (dialect-specific fast paths): at once
 * inside a transaction of this handle (its lock is held; a better-sqlite3 transaction in the
 * work nests as a savepoint), else once no transaction is open. Null on PostgreSQL.
 */
export function onSqlite<T>(db: Db, work: (sqlite: BetterSqlite3.Database) => T): Promise<T> | null {
  if (isSqliteTx(db)) return Promise.resolve().then(() => work(db.root.sqlite));
  if (isSqliteDb(db)) return db.exclusive(work);
  return null;
}

/**
 * The SQLite connection behind a data-layer handle (not a transaction's), for a library that
 * must be handed a driver of its own (better-auth's drizzle adapter); null on PostgreSQL.
 */
export function sqliteConnectionOf(db: Db): BetterSqlite3.Database | null {
  return isSqliteDb(db) ? db.sqlite : null;
}

function isSqliteTx(db: Db): db is SqliteTx {
  return SQLITE_TX in db;
}

function isSqliteDb(db: Db): db is SqliteDb {
  return SQLITE_DB in db;
}

/** better-sqlite3 binds numbers, strings, bigints, Buffers and null; booleans are stored as 0/1. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value;
}

/**
 * The row (or plucked value) a statement must return, e.g. an id read back after an
 * `INSERT … ON CONFLICT DO NOTHING`: a missing one is a broken invariant, named in the error.
 */
export function expectRow<T>(row: T | undefined, what: string): T {
  if (row === undefined) throw new Error(`expected a row: ${what}`);
  return row;
}
