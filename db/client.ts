import type { SQL } from "drizzle-orm";

/**
 * The data layer's one interface (docs/adr/0015-one-data-layer-for-sqlite-and-postgresql.md).
 * Query functions are written once against it, with SQL that both SQLite and PostgreSQL
 * accept (drizzle's `sql` template: every value a bound parameter), and read rows through a
 * named row type. Dialect-specific code is allowed only where it pays (bulk ingestion, the
 * recompute's bulk writes, date arithmetic) and branches on `db.dialect`.
 *
 * Values that come back: integers and floats as `number` (PostgreSQL's int8 and numeric are
 * parsed to numbers: every integer we store fits in 2^53), text as `string`, blobs/bytea as
 * `Buffer`, NULL as `null`. Booleans are stored as integers 0/1 in both databases, so a query
 * reads and compares them the same way.
 */
export type Dialect = "sqlite" | "postgres";

export interface RunResult {
  /** Rows inserted, updated or deleted by the statement. */
  rowsAffected: number;
}

export interface Queryable {
  readonly dialect: Dialect;
  /** Every row of a query, as the named row type. */
  all<Row>(query: SQL): Promise<Row[]>;
  /** The first row, or undefined. */
  get<Row>(query: SQL): Promise<Row | undefined>;
  /** The first column of the first row, or undefined. */
  value<Value>(query: SQL): Promise<Value | undefined>;
  /** A statement run for its effect. */
  run(query: SQL): Promise<RunResult>;
}

export interface TransactionOptions {
  /**
   * PostgreSQL's isolation level (SQLite transactions are always serializable: one writer at
   * a time). Default: read committed.
   */
  isolation?: "read committed" | "repeatable read" | "serializable";
}

export interface Db extends Queryable {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Inside, use only `tx` (queries on `db` wait for the transaction on SQLite, and run on
   * another connection outside it on PostgreSQL). Nested calls on `tx` use savepoints.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Closes the connection(s). */
  close(): Promise<void>;
}

export type Tx = Db;
