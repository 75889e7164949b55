import "server-only";
import { legacyDatabaseOn, NOT_ON_POSTGRES_YET } from "@/db";
import type { Db } from "@/db/client";
import { onSqlite } from "@/db/sqlite-client";
import { syncScores } from "../score-sync";

/**
 * The one place ingestion brings the scores up to date (the score scheduler and the CSV
 * imports call it): the score sync is another module's, and moves to the data layer on its
 * own. On SQLite it runs the synchronous sync on the connection behind `db` (holding it, like
 * every SQLite fast path); on PostgreSQL it refuses loudly. The events stay stored either way.
 */
export async function syncScoresAfterIngest(db: Db): Promise<void> {
  const synced = onSqlite(db, (sqlite) => {
    syncScores(legacyDatabaseOn(sqlite));
  });
  if (synced === null) throw new Error(`The score sync after ingestion: ${NOT_ON_POSTGRES_YET}`);
  await synced;
}
