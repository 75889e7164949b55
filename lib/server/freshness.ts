import "server-only";
import type { Database } from "@/db";
import { todayDay, type DayNumber } from "../days";
import { recomputeAllScores, type RecomputeSummary } from "./recompute";
import { getScoringSettings } from "./settings";

/**
 * Scores are "as of" a UTC day and a configuration version. They are current when every
 * account has a score, all as of `today`, all computed with the configuration in force.
 */
export function scoresAreCurrent(db: Database, today: DayNumber = todayDay()): boolean {
  const state = db.sqlite
    .prepare("SELECT min(as_of_day) AS asOf, max(as_of_day) AS maxAsOf, min(config_version) AS minVersion, max(config_version) AS maxVersion, count(*) AS n FROM account_scores")
    .get() as { asOf: number | null; maxAsOf: number | null; minVersion: number | null; maxVersion: number | null; n: number };
  const accounts = db.sqlite.prepare("SELECT count(*) FROM accounts").pluck().get() as number;
  if (accounts === 0) return true;
  const { configVersion } = getScoringSettings(db);
  // Scores written before accounts' first days were kept (or whose signup date changed) are not current.
  const unknownFirstDay = db.sqlite
    .prepare("SELECT EXISTS (SELECT 1 FROM account_scores INDEXED BY account_scores_first_day_unknown_idx WHERE first_day IS NULL)")
    .pluck()
    .get() as number;
  return (
    unknownFirstDay === 0 &&
    state.n === accounts &&
    state.asOf === today &&
    state.maxAsOf === today &&
    state.minVersion === configVersion &&
    state.maxVersion === configVersion
  );
}

/**
 * Recomputes synchronously, with the configuration in force, when the scores are stale.
 * For scripts and tests; the server uses the non-blocking recompute job instead.
 * Returns the summary when it recomputed, null when the scores were already current.
 */
export function ensureScoresCurrent(db: Database, today: DayNumber = todayDay()): RecomputeSummary | null {
  if (scoresAreCurrent(db, today)) return null;
  return recomputeAllScores(db, { asOfDay: today });
}
