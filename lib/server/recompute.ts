import "server-only";
import type { Database } from "@/db";
import { dayFromMs, parseIsoDate, todayDay, type DayNumber } from "../days";
import { bandFor, type Band, type BandThresholds } from "../scoring/bands";
import type { DeclineRule } from "../scoring/decline";
import { encodeHistory } from "../scoring/history";
import { rollingWindowSums, type WeightTable } from "../scoring/score";
import { accountStanding, firstKnownDay, type Activity } from "../scoring/standing";
import { dailyPointsForAccounts, scoreAllAccounts } from "./score-queries";
import { syncScoresInTransaction } from "./score-sync";
import { writeScoreWatermark } from "./score-watermark";
import { getScoringSettings, getWeightTable } from "./settings";

/** Days of daily score history kept per account (12 months). */
export const HISTORY_DAYS = 365;
/** Accounts computed per step: bounds memory per query and lets other work interleave. */
const CHUNK = 1000;

/** Everything one recompute scores with: the day, the window and a full configuration. */
export interface ScoringRun {
  asOfDay: DayNumber;
  historyDays: number;
  windowDays: number;
  compareDays: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
  weights: WeightTable;
  configVersion: number;
}

export interface ScoreRow {
  accountId: number;
  current: number;
  /** The sum over the comparison window (0 for an account that did not exist then). */
  previous: number;
  band: Band;
  previousBand: Band;
  declining: boolean;
  firstDay: DayNumber;
  activity: Activity;
  /** null: the account did not exist on the comparison day (lib/scoring/standing.ts). */
  previousActivity: Activity | null;
  /** The stored history: the closed days before the scores' day (lib/scoring/history.ts). */
  history: Buffer;
}

export interface RecomputeSummary {
  accounts: number;
  asOfDay: DayNumber;
  historyDays: number;
  configVersion: number;
  millis: number;
}

/** A run with the configuration in force (event_types weights, scoring_settings). */
export function scoringRunInForce(db: Database, asOfDay: DayNumber, historyDays = HISTORY_DAYS): ScoringRun {
  const s = getScoringSettings(db);
  return {
    asOfDay,
    historyDays,
    windowDays: s.windowDays,
    compareDays: s.compareDays,
    thresholds: s.thresholds,
    decline: s.decline,
    weights: getWeightTable(db),
    configVersion: s.configVersion,
  };
}

function accountIdsIn(db: Database, only?: readonly number[]): number[] {
  if (only) return [...new Set(only)].sort((a, b) => a - b);
  return db.sqlite.prepare("SELECT id FROM accounts ORDER BY id").pluck().all() as number[];
}

/**
 * Computes score rows chunk by chunk (current and previous scores in SQL over the rollups,
 * the daily history as rolling sums of daily points). Reads only; the caller writes.
 */
export function* computeScoreRows(db: Database, run: ScoringRun, only?: readonly number[]): Generator<ScoreRow[]> {
  const ids = accountIdsIn(db, only);
  const historyFrom = run.asOfDay - run.historyDays + 1;
  const pointsFrom = historyFrom - run.windowDays + 1;
  const points = new Float64Array(run.asOfDay - pointsFrom + 1);

  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunkIds = ids.slice(start, start + CHUNK);
    const first = chunkIds[0];
    const last = chunkIds[chunkIds.length - 1];
    if (first === undefined || last === undefined) continue;
    const selection = { fromAccountId: first, toAccountId: last, accountIds: only ? chunkIds : undefined };
    const pairs = scoreAllAccounts(db, { ...selection, endDay: run.asOfDay, windowDays: run.windowDays, compareDays: run.compareDays, weights: run.weights });
    const daily = dailyPointsForAccounts(db, { ...selection, fromDay: pointsFrom, toDay: run.asOfDay, weights: run.weights });

    const rows: ScoreRow[] = [];
    let r = 0;
    for (const pair of pairs) {
      points.fill(0);
      // Both lists are ordered by account id; accounts without events get an all-zero history.
      for (; r < daily.length; r++) {
        const row = daily[r];
        if (!row || row.accountId !== pair.accountId) break;
        points[row.day - pointsFrom] = row.points;
      }
      const { current, previous } = pair;
      // The blob holds the closed days; the last day of the series is the current score (lib/scoring/history.ts).
      const series = rollingWindowSums(points, run.windowDays, run.historyDays);
      const firstDay = firstDayOf(pair, run.asOfDay);
      const standing = accountStanding({
        asOfDay: run.asOfDay,
        firstDay,
        windowDays: run.windowDays,
        compareDays: run.compareDays,
        thresholds: run.thresholds,
        decline: run.decline,
        currentHundredths: current,
        previousHundredths: previous,
        currentScoredEvents: pair.currentEvents === 1,
        previousScoredEvents: pair.previousEvents === 1,
      });
      rows.push({
        accountId: pair.accountId,
        current,
        previous,
        band: standing.band,
        // Stored whatever the standing; readers show it only when previous_activity says the account existed.
        previousBand: bandFor(previous / 100, run.thresholds),
        declining: standing.declining,
        firstDay,
        activity: standing.activity,
        previousActivity: standing.previous?.activity ?? null,
        history: encodeHistory(series.subarray(0, run.historyDays - 1)),
      });
    }
    yield rows;
  }
}

/** The account's first known day: its signup date, the day it was first recorded or its first event. */
function firstDayOf(pair: { signupDate: string | null; createdAt: number; firstEventDay: number | null }, asOfDay: DayNumber): DayNumber {
  return firstKnownDay(asOfDay, pair.signupDate ? parseIsoDate(pair.signupDate) : null, dayFromMs(pair.createdAt), pair.firstEventDay);
}

/** Writes score rows; call inside a transaction. */
export function writeScoreRows(db: Database, run: ScoringRun, rows: Iterable<ScoreRow>): number {
  const upsertScore = db.sqlite.prepare(
    `INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version,
       first_day, activity, previous_activity)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(account_id) DO UPDATE SET as_of_day = excluded.as_of_day, score_hundredths = excluded.score_hundredths,
       previous_hundredths = excluded.previous_hundredths, band = excluded.band, previous_band = excluded.previous_band,
       declining = excluded.declining, config_version = excluded.config_version, first_day = excluded.first_day,
       activity = excluded.activity, previous_activity = excluded.previous_activity`,
  );
  const upsertHistory = db.sqlite.prepare(
    `INSERT INTO score_history (account_id, start_day, scores, config_version) VALUES (?, ?, ?, ?)
     ON CONFLICT(account_id) DO UPDATE SET start_day = excluded.start_day, scores = excluded.scores, config_version = excluded.config_version`,
  );
  const historyFrom = run.asOfDay - run.historyDays + 1;
  let n = 0;
  for (const row of rows) {
    upsertScore.run(
      row.accountId,
      run.asOfDay,
      row.current,
      row.previous,
      row.band,
      row.previousBand,
      row.declining ? 1 : 0,
      run.configVersion,
      row.firstDay,
      row.activity,
      row.previousActivity,
    );
    upsertHistory.run(row.accountId, historyFrom, row.history, run.configVersion);
    n++;
  }
  return n;
}

/**
 * Computes and writes the given accounts' (default: all) scores and history with the
 * configuration in force. No transaction of its own: callers hold one and keep the score
 * watermark (score-watermark.ts) in step.
 */
export function writeScoresInForce(db: Database, params: { asOfDay: DayNumber; historyDays?: number; accountIds?: readonly number[] }): RecomputeSummary {
  const started = performance.now();
  const run = scoringRunInForce(db, params.asOfDay, params.historyDays);
  let accounts = 0;
  for (const rows of computeScoreRows(db, run, params.accountIds)) accounts += writeScoreRows(db, run, rows);
  return summaryOf(run, accounts, started);
}

/**
 * Recomputes every account's scores, bands, declining flag and daily history with the
 * configuration in force, in ONE transaction that also moves the score watermark to the
 * newest event: readers see the old scores or the new ones, never a mix, and the incremental
 * sync (score-sync.ts) never counts an event twice. For seeding, tests and scripts;
 * configuration changes and the daily roll-over go through the recompute job
 * (lib/server/recompute-job.ts), which does not block the server.
 */
export function recomputeAllScores(db: Database, params: { asOfDay: DayNumber; historyDays?: number }): RecomputeSummary {
  return db.sqlite
    .transaction(() => {
      const summary = writeScoresInForce(db, params);
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
      return writeScoresInForce(db, { asOfDay: storedAsOf ?? todayDay(), accountIds });
    })
    .immediate();
}

export function summaryOf(run: ScoringRun, accounts: number, started: number): RecomputeSummary {
  return {
    accounts,
    asOfDay: run.asOfDay,
    historyDays: run.historyDays,
    configVersion: run.configVersion,
    millis: Math.round(performance.now() - started),
  };
}
