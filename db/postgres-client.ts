import { log } from "../lib/log";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import type { Db, Dialect, RunResult, TransactionOptions, Tx } from "./client";

/**
 * The PostgreSQL side of the data layer (db/client.ts) on a `pg` connection pool. Each query
 * outside a transaction takes any free connection; a transaction keeps one connection from
 * BEGIN to COMMIT. int8 (count(*), sums, bigint columns) and numeric (avg) come back as
 * numbers, like SQLite's: every integer this product stores fits in 2^53.
 */
const dialect = new PgDialect();

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`integer ${text} from PostgreSQL is beyond 2^53`);
  return value;
}

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID) return parseInt8;
    if (oid === NUMERIC_OID) return (text: string) => Number(text);
    return format === "binary" ? pg.types.getTypeParser(oid, "binary") : pg.types.getTypeParser(oid, "text");
  },
};

type Client = pg.Pool | pg.PoolClient;

/**
 * Brands that survive module duplication (as in ./sqlite-client.ts): Next.js may load this
 * file once per server bundle while getDb() keeps ONE handle on globalThis, so `instanceof`
 * against this copy's class can be false for a handle another copy made.
 */
const POSTGRES_DB = Symbol.for("ces.db.postgres");
const POSTGRES_TX = Symbol.for("ces.db.postgres-transaction");

function compile(query: SQL): { text: string; values: unknown[] } {
  const compiled = dialect.sqlToQuery(query);
  return { text: compiled.sql, values: compiled.params.map(toPgValue) };
}

async function rows(client: Client, query: SQL): Promise<pg.QueryResult> {
  return client.query({ ...compile(query), types });
}

abstract class PgQueryable {
  readonly dialect: Dialect = "postgres";
  protected abstract client(): Client;

  async all<Row>(query: SQL): Promise<Row[]> {
    return (await rows(this.client(), query)).rows as Row[];
  }

  async get<Row>(query: SQL): Promise<Row | undefined> {
    return (await rows(this.client(), query)).rows[0] as Row | undefined;
  }

  async value<Value>(query: SQL): Promise<Value | undefined> {
    const result = await this.client().query({ ...compile(query), types, rowMode: "array" });
    const first: unknown = result.rows[0];
    return Array.isArray(first) ? (first[0] as Value) : undefined;
  }

  async run(query: SQL): Promise<RunResult> {
    const result = await rows(this.client(), query);
    return { rowsAffected: result.rowCount ?? 0 };
  }
}

export class PostgresDb extends PgQueryable implements Db {
  readonly [POSTGRES_DB] = true;

  constructor(
    /** The pool, for PostgreSQL-only paths (COPY, LISTEN/NOTIFY, advisory locks). */
    readonly pool: pg.Pool,
    readonly url: string,
  ) {
    super();
  }

  protected client(): Client {
    return this.pool;
  }

  async transaction<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : "BEGIN");
      try {
        const result = await work(new PostgresTx(client, 0));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          broken = true;
          log.error("ROLLBACK failed; the connection is discarded", { component: "db", err: rollbackError });
        }
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  /** Runs work on one connection of the pool (session-level state: advisory locks, LISTEN). */
  async withConnection<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

class PostgresTx extends PgQueryable implements Db {
  readonly [POSTGRES_TX] = true;

  constructor(
    readonly connection: pg.PoolClient,
    private readonly depth: number,
  ) {
    super();
  }

  protected client(): Client {
    return this.connection;
  }

  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const savepoint = `sp${this.depth + 1}`;
    await this.connection.query(`SAVEPOINT ${savepoint}`);
    try {
      const result = await work(new PostgresTx(this.connection, this.depth + 1));
      await this.connection.query(`RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (error) {
      await this.connection.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      throw error;
    }
  }

  async close(): Promise<void> {
    throw new Error("close() inside a transaction: close the database, not the transaction");
  }
}

/**
 * The connection to run a PostgreSQL-only statement on (COPY, a multi-row insert): the
 * transaction's own connection inside one, else the pool. Null on SQLite.
 */
export function postgresClientOf(db: Db): pg.Pool | pg.PoolClient | null {
  if (isPostgresDb(db)) return db.pool;
  if (isPostgresTx(db)) return db.connection;
  return null;
}

/** A PostgreSQL handle (not a transaction), recognised by its brand whichever copy of this module made it. */
export function isPostgresDb(db: Db): db is PostgresDb {
  return POSTGRES_DB in db;
}

function isPostgresTx(db: Db): db is PostgresTx {
  return POSTGRES_TX in db;
}

/** Booleans are stored as integers 0/1 in both databases. */
function toPgValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

export function createPool(url: string, options: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle connection that the server drops must not crash the process: log it; the pool
  // replaces the connection on the next checkout.
  pool.on("error", (error) => log.error("an idle PostgreSQL connection failed; the pool replaces it", { component: "db", err: error }));
  return pool;
}
