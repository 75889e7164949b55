import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Db } from "./client";
import { databaseConfigFromEnv, databasePathFromEnv, type DatabaseConfig } from "./env";
import { createPool, PostgresDb } from "./postgres-client";
import { migratePostgres } from "./postgres-migrate";
import { SqliteDb } from "./sqlite-client";
import { assertMigrationsMatch } from "./migration-check";
import { applyConnectionPragmas } from "./pragmas";
import * as schema from "./schema";

export type Orm = BetterSQLite3Database<typeof schema>;

/** An open database: drizzle for typed queries, the raw handle for prepared hot paths. */
export interface Database {
  orm: Orm;
  sqlite: BetterSqlite3.Database;
  file: string;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/**
 * Opens (creating if needed) the SQLite file, sets the pragmas every connection needs and
 * applies pending migrations (connection settings: db/pragmas.ts). A database whose applied migrations
 * are not this build's first ones is refused (MigrationMismatchError, db/migration-check.ts)
 * before anything is written to it.
 */
export function openDatabase(file: string, options: { migrationsFolder?: string } = {}): Database {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  applyConnectionPragmas(sqlite);
  const migrationsFolder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
  try {
    assertMigrationsMatch(sqlite, file, migrationsFolder);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder });
  return { orm, sqlite, file };
}

/**
 * A read-only connection to a database another connection keeps migrated (the analysis
 * workers read the server's file this way: WAL lets them read while the server writes).
 */
export function openReadOnlyDatabase(file: string): Database {
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("cache_size = -32768");
  sqlite.pragma("temp_store = MEMORY");
  return { orm: drizzle(sqlite, { schema }), sqlite, file };
}

const globalForDb = globalThis as unknown as { cesDatabase?: Database };

/** Whether the environment names SQLite (no DATABASE_URL). */
export function usesSqlite(): boolean {
  return databaseConfigFromEnv().kind === "sqlite";
}

/**
 * What the synchronous SQLite handle answers when DATABASE_URL is set: the code that still
 * uses it (issue 15 moves it to the data layer) must fail loudly there, never quietly read
 * and write a second database in a SQLite file beside the PostgreSQL one.
 */
export const NOT_ON_POSTGRES_YET =
  "This part of the product does not run on PostgreSQL yet (it still uses the SQLite connection). DATABASE_URL is set, so it refuses rather than read or write a separate SQLite file at DATABASE_PATH.";

/** The process-wide database named by DATABASE_PATH (one connection per process); throws when DATABASE_URL names PostgreSQL. */
export function getDatabase(): Database {
  if (!globalForDb.cesDatabase) {
    if (!usesSqlite()) throw new Error(NOT_ON_POSTGRES_YET);
    globalForDb.cesDatabase = openDatabase(databasePathFromEnv());
  }
  return globalForDb.cesDatabase;
}

/**
 * Opens the database a configuration names and brings its schema up to date: SQLite through
 * openDatabase, PostgreSQL through its own migrations (several servers starting at once
 * migrate one after the other).
 */
export async function openDb(config: DatabaseConfig): Promise<Db> {
  if (config.kind === "sqlite") {
    const database = openDatabase(config.file);
    return new SqliteDb(database.sqlite, database.file);
  }
  const db = new PostgresDb(createPool(config.url, { max: config.poolSize }), config.url);
  try {
    await migratePostgres(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

const legacyByConnection = new WeakMap<BetterSqlite3.Database, Database>();

/**
 * The legacy synchronous handle on a SQLite connection the data layer holds (inside
 * `onSqlite`), for code that has not moved to `Db` yet (the recompute). The process-wide
 * connection gives back getDatabase()'s own object, so per-connection caches stay shared.
 */
export function legacyDatabaseOn(sqlite: BetterSqlite3.Database): Database {
  if (globalForDb.cesDatabase?.sqlite === sqlite) return globalForDb.cesDatabase;
  let database = legacyByConnection.get(sqlite);
  if (!database) {
    database = { orm: drizzle(sqlite, { schema }), sqlite, file: sqlite.name };
    legacyByConnection.set(sqlite, database);
  }
  return database;
}

const globalForDb2 = globalThis as unknown as { cesDb?: Promise<Db> };

/**
 * The process-wide database named by the environment (DATABASE_URL, else DATABASE_PATH). On
 * SQLite it shares the one connection with getDatabase() while the data layer moves over.
 */
export function getDb(): Promise<Db> {
  if (!globalForDb2.cesDb) {
    const config = databaseConfigFromEnv();
    globalForDb2.cesDb =
      config.kind === "sqlite"
        ? Promise.resolve(new SqliteDb(getDatabase().sqlite, getDatabase().file))
        : openDb(config).catch((error: unknown) => {
            globalForDb2.cesDb = undefined;
            throw error;
          });
  }
  return globalForDb2.cesDb;
}

export type { Db } from "./client";
export { schema };
