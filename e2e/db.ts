import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { databaseUrl, runOnServer } from "../scripts/lib/temporary-postgres";
import type { Db } from "@/db/client";
import type { DatabaseConfig } from "@/db/env";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { SqliteDb } from "@/db/sqlite-client";

/**
 * The database the e2e server runs on (scripts/e2e-server.ts): the SQLite file below, or the
 * PostgreSQL database E2E_DATABASE_URL names when the suite runs on PostgreSQL. Specs read it
 * through the data layer's interface (db/client.ts) with SQL both databases accept, so one
 * spec checks both.
 */
export const E2E_SQLITE_FILE = path.resolve("e2e/.tmp/e2e.db");

/** Which database the suite runs on. */
export function e2eDatabaseUrl(): string | null {
  return process.env.E2E_DATABASE_URL || null;
}

/**
 * Runs `work` on a connection to the e2e database and closes it. Read-only on SQLite unless
 * `writable`: a test writes only state no page can set up (say why there).
 */
export async function withE2eDb<T>(work: (db: Db) => Promise<T>, options: { writable?: boolean } = {}): Promise<T> {
  const url = e2eDatabaseUrl();
  let db: Db;
  if (url) {
    db = new PostgresDb(createPool(url, { max: 2 }), url);
  } else {
    const sqlite = new BetterSqlite3(E2E_SQLITE_FILE, { readonly: !options.writable, fileMustExist: true });
    if (options.writable) sqlite.pragma("busy_timeout = 5000");
    db = new SqliteDb(sqlite, E2E_SQLITE_FILE);
  }
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The first column of the first row of `query` on the e2e database; a query that finds no row fails the test. */
export async function storedValue<T>(query: SQL): Promise<T> {
  const value = await withE2eDb((db) => db.value<T>(query));
  if (value === undefined) throw new Error("the query found no row");
  return value;
}

/**
 * An EMPTY database of a test's own, on the database the suite runs on: a SQLite file in
 * e2e/.tmp, or, when the suite runs on PostgreSQL (E2E_POSTGRES_ADMIN_URL, scripts/e2e-postgres.ts),
 * a new database on that server. For servers a spec starts for itself and for restores.
 */
export interface E2eDatabase {
  /** What a server or script is started with to use it (DATABASE_PATH or DATABASE_URL). */
  env: Record<string, string>;
  config: DatabaseConfig;
  /** A read-only look (on SQLite) at it; the caller closes it. */
  open(): Db;
  remove(): Promise<void>;
}

export async function newE2eDatabase(label = "fresh"): Promise<E2eDatabase> {
  const name = `${label}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const adminUrl = process.env.E2E_POSTGRES_ADMIN_URL;
  if (adminUrl) {
    await runOnServer(adminUrl, `CREATE DATABASE ${name}`);
    const url = databaseUrl(adminUrl, name);
    return {
      env: { DATABASE_URL: url },
      config: { kind: "postgres", url, poolSize: 2 },
      open: () => new PostgresDb(createPool(url, { max: 1 }), url),
      remove: () => runOnServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = path.resolve("e2e/.tmp");
  fs.mkdirSync(dir, { recursive: true });
  const databasePath = path.join(dir, `${name}.db`);
  return {
    env: { DATABASE_PATH: databasePath },
    config: { kind: "sqlite", file: databasePath },
    open: () => new SqliteDb(new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true }), databasePath),
    remove: async () => {
      for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(databasePath + suffix, { force: true });
    },
  };
}
