import path from "node:path";
import BetterSqlite3 from "better-sqlite3";

/** The database the e2e server runs on (see scripts/e2e-server.ts), opened read-only unless a test must set up state no page can (say why there). */
export function openE2eDatabase(options: { writable?: boolean } = {}): BetterSqlite3.Database {
  const db = new BetterSqlite3(path.resolve("e2e/.tmp/e2e.db"), { readonly: !options.writable, fileMustExist: true });
  if (options.writable) db.pragma("busy_timeout = 5000");
  return db;
}
