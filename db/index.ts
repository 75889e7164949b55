import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { databasePathFromEnv } from "./env";
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
 * Opens (creating if needed) the SQLite file, sets the pragmas every connection needs
 * (db/pragmas.ts) and applies pending migrations.
 */
export function openDatabase(file: string, options: { migrationsFolder?: string } = {}): Database {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  applyConnectionPragmas(sqlite);
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder: options.migrationsFolder ?? MIGRATIONS_FOLDER });
  return { orm, sqlite, file };
}

const globalForDb = globalThis as unknown as { cesDatabase?: Database };

/** The process-wide database named by DATABASE_PATH (one connection per process). */
export function getDatabase(): Database {
  if (!globalForDb.cesDatabase) {
    globalForDb.cesDatabase = openDatabase(databasePathFromEnv());
  }
  return globalForDb.cesDatabase;
}

export { schema };
