import BetterSqlite3 from "better-sqlite3";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { applyConnectionPragmas } from "@/db/pragmas";
import { SqliteDb } from "@/db/sqlite-client";

/**
 * A second, independent handle on the database of `db`, as a second app server (or process)
 * has: its own PostgreSQL pool, or its own SQLite connection to the same file. Nothing
 * in-process is shared with the first handle, so whatever reaches one from the other went
 * through the database. Close it in afterAll.
 */
export function openSecondServer(db: Db): Db {
  if (db instanceof PostgresDb) return new PostgresDb(createPool(db.url, { max: 4 }), db.url);
  if (db instanceof SqliteDb) {
    const sqlite = new BetterSqlite3(db.file);
    applyConnectionPragmas(sqlite);
    return new SqliteDb(sqlite, db.file);
  }
  throw new Error("openSecondServer: a transaction handle, not a database");
}
