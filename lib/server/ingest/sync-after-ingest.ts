import "server-only";
import type { Db } from "@/db/client";
import { syncScores } from "../score-sync";

/**
 * The one place ingestion brings the scores up to date (the score scheduler and the CSV
 * imports call it). On SQLite the sync runs synchronously on the connection behind `db`; on
 * PostgreSQL it follows the events up to their committed horizon, one score writer at a time
 * across servers (lib/server/score-sync.ts).
 */
export async function syncScoresAfterIngest(db: Db): Promise<void> {
  await syncScores(db);
}
