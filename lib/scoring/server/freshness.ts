import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import type { Db, Dialect } from "@/db/client";
import { indexedBy } from "@/db/dialect";
import { todayDay, type DayNumber } from "@/lib/days";
import { recomputeAllScores, type RecomputeSummary } from "./recompute";
import { recomputeScores } from "./recompute-db";
import { getScoringSettings, loadScoringSettings } from "./settings";

/** What the stored scores are as of, in one row. */
interface ScoresStateRow {
  asOf: number | null;
  maxAsOf: number | null;
  minVersion: number | null;
  maxVersion: number | null;
  scores: number;
  accounts: number;
  /** 1 when some score was written before its account's first day was known (or its signup date changed). */
  unknownFirstDay: number;
}

function scoresStateQuery(dialect: Dialect): SQL {
  return sql`SELECT min(as_of_day) AS "asOf", max(as_of_day) AS "maxAsOf", min(config_version) AS "minVersion",
      max(config_version) AS "maxVersion", count(*) AS scores, (SELECT count(*) FROM accounts) AS accounts,
      CASE WHEN EXISTS (SELECT 1 FROM account_scores ${indexedBy(dialect, "account_scores_first_day_unknown_idx")} WHERE first_day IS NULL)
        THEN 1 ELSE 0 END AS "unknownFirstDay"
    FROM account_scores`;
}

/**
 * Scores are "as of" a UTC day and a configuration version. They are current when every
 * account has a score, all as of `today`, all computed with the configuration in force, and
 * every account's first day is known.
 */
function isCurrent(state: ScoresStateRow | undefined, configVersion: number, today: DayNumber): boolean {
  if (!state) throw new Error("an aggregate over account_scores returned no row");
  if (state.accounts === 0) return true;
  return (
    state.unknownFirstDay === 0 &&
    state.scores === state.accounts &&
    state.asOf === today &&
    state.maxAsOf === today &&
    state.minVersion === configVersion &&
    state.maxVersion === configVersion
  );
}

export interface ScoresCurrentParams {
  today?: DayNumber;
}

/** Whether the stored scores are current (see isCurrent). */
export async function checkScoresCurrent(db: Db, params: ScoresCurrentParams = {}): Promise<boolean> {
  const state = await db.get<ScoresStateRow>(scoresStateQuery(db.dialect));
  const { configVersion } = await loadScoringSettings(db);
  return isCurrent(state, configVersion, params.today ?? todayDay());
}

/**
 * checkScoresCurrent on the legacy synchronous connection, for the recompute job and
 * ensureScoresCurrent, which decide and recompute synchronously (lib/scoring/server/recompute.ts is
 * not on the data layer yet). Same SQL.
 */
export function scoresAreCurrent(db: Database, today: DayNumber = todayDay()): boolean {
  const state = db.orm.get<ScoresStateRow | undefined>(scoresStateQuery("sqlite"));
  return isCurrent(state, getScoringSettings(db).configVersion, today);
}

/**
 * Recomputes, with the configuration in force, when the scores are stale (either database).
 * For scripts and tests; the server uses the non-blocking recompute job instead.
 * Returns the summary when it recomputed, null when the scores were already current.
 */
export async function ensureScoresCurrent(db: Db, today: DayNumber = todayDay()): Promise<RecomputeSummary | null> {
  if (await checkScoresCurrent(db, { today })) return null;
  return recomputeScores(db, { asOfDay: today });
}

/** ensureScoresCurrent on the legacy synchronous SQLite connection (the benchmark's dataset builder). */
export function ensureScoresCurrentSqlite(db: Database, today: DayNumber = todayDay()): RecomputeSummary | null {
  if (scoresAreCurrent(db, today)) return null;
  return recomputeAllScores(db, { asOfDay: today });
}
