import path from "node:path";
import BetterSqlite3 from "better-sqlite3";

/** The database the e2e server runs on (see scripts/e2e-server.ts), opened read-only. */
export function openE2eDatabase(): BetterSqlite3.Database {
  return new BetterSqlite3(path.resolve("e2e/.tmp/e2e.db"), { readonly: true, fileMustExist: true });
}
