import "server-only";
import type { Database } from "@/db";
import { cachedStatement } from "./query-cache";

/**
 * Tells the team views' cache which accounts' scores changed (the `aggregate_changes` log,
 * docs/adr/0004-team-views-in-memory-pre-aggregation.md): one statement for every account a
 * write touched. A trigger did this per updated row; under ingestion, where each synced event
 * moves one account's score, the trigger cost about as much as the update itself
 * (docs/adr/0019-day-first-event-storage.md). Call in the transaction that changed the scores.
 */
export function logScoreChanges(db: Database, accountIds: readonly number[]): void {
  if (accountIds.length === 0) return;
  cachedStatement(db, "INSERT INTO aggregate_changes (account_id) SELECT value FROM json_each(?)").run(JSON.stringify(accountIds));
}
