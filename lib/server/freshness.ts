import "server-only";
import type { Database } from "@/db";
import { todayDay, type DayNumber } from "../days";
import { recomputeAllScores, type RecomputeSummary } from "./recompute";
import { getScoringSettings } from "./settings";

/**
 * Scores are "as of" a UTC day. When the day turns (or the configuration changed under a
 * process that was not running), the stored scores are stale: recompute them.
 * Returns the summary when it recomputed, null when the scores were already current.
 */
export function ensureScoresCurrent(db: Database, today: DayNumber = todayDay()): RecomputeSummary | null {
  const state = db.sqlite
    .prepare("SELECT min(as_of_day) AS asOf, min(config_version) AS minVersion, max(config_version) AS maxVersion, count(*) AS n FROM account_scores")
    .get() as { asOf: number | null; minVersion: number | null; maxVersion: number | null; n: number };
  const accounts = db.sqlite.prepare("SELECT count(*) FROM accounts").pluck().get() as number;
  const { configVersion } = getScoringSettings(db);
  const current =
    state.n === accounts &&
    (accounts === 0 || (state.asOf === today && state.minVersion === configVersion && state.maxVersion === configVersion));
  if (current) return null;
  return recomputeAllScores(db, { asOfDay: today });
}
