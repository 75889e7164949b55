import "server-only";
import type { Database } from "@/db";
import { todayDay } from "../days";
import { syncScoresInTransaction } from "./score-sync";
import { writeScoreWatermark } from "./score-watermark";
import { writeScores, type RecomputeParams, type RecomputeSummary } from "./score-writer";

export { HISTORY_DAYS, type RecomputeParams, type RecomputeSummary } from "./score-writer";

/**
 * Recomputes every account's current score, its score `compareDays` ago, its band and its
 * declining flag (from SQL over the rollups), and its daily score history, then writes all of
 * it in ONE transaction: readers see the old scores or the new ones, never a mix. The score
 * watermark moves to the newest event and account in the same transaction, so the
 * incremental sync (score-sync.ts) never counts an event twice.
 */
export function recomputeAllScores(db: Database, params: RecomputeParams): RecomputeSummary {
  return db.sqlite
    .transaction(() => {
      const summary = writeScores(db, { ...params, accountIds: undefined });
      writeScoreWatermark(db);
      return summary;
    })
    .immediate();
}

/**
 * Brings the given accounts' scores and history up to date after new events (or new
 * accounts) arrived, as of the day the stored scores are for, so they stay consistent with
 * every other account. Applies every pending score change first (score-sync.ts), so the
 * events it reads are never added a second time by a later sync.
 */
export function refreshAccountScores(db: Database, accountIds: readonly number[]): RecomputeSummary | null {
  if (accountIds.length === 0) return null;
  return db.sqlite
    .transaction(() => {
      syncScoresInTransaction(db);
      const storedAsOf = db.sqlite.prepare("SELECT max(as_of_day) FROM account_scores").pluck().get() as number | null;
      const asOfDay = storedAsOf ?? todayDay();
      const ids = [...new Set(accountIds)].sort((a, b) => a - b);
      return writeScores(db, { asOfDay, accountIds: ids });
    })
    .immediate();
}
