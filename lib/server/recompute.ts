import "server-only";
import type { Database } from "@/db";
import { todayDay, type DayNumber } from "../days";
import { bandFor, type Band, type BandThresholds } from "../scoring/bands";
import { isDeclining, type DeclineRule } from "../scoring/decline";
import { encodeHistory } from "../scoring/history";
import { rollingWindowSums, scoreWindow, type WeightTable } from "../scoring/score";
import { logScoreChanges } from "./score-change-log";
import { forEachDailyPoints } from "./score-queries";
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
  previous: number;
  band: Band;
  previousBand: Band;
  declining: boolean;
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

/** The accounts to score, in id order: every account, or those of `only` that exist. */
function accountIdsIn(db: Database, only?: readonly number[]): number[] {
  if (only) return db.sqlite.prepare("SELECT id FROM accounts WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id").pluck().all(JSON.stringify(only)) as number[];
  return db.sqlite.prepare("SELECT id FROM accounts ORDER BY id").pluck().all() as number[];
}

/** Σ of `points` over the days `from` … `to` (inclusive), given that points[0] is `firstDay`. */
function sumOver(points: Float64Array, firstDay: DayNumber, from: DayNumber, to: DayNumber): number {
  let total = 0;
  for (let day = Math.max(from, firstDay); day <= to; day++) total += points[day - firstDay] ?? 0;
  return total;
}

/**
 * Computes score rows chunk by chunk: each account's daily points (Σ weight × count per day,
 * read day by day from the day-first rollups), from which come the current and previous
 * scores (sums over their windows) and the daily history (rolling sums). Reads only; the
 * caller writes.
 */
export function* computeScoreRows(db: Database, run: ScoringRun, only?: readonly number[]): Generator<ScoreRow[]> {
  const ids = accountIdsIn(db, only);
  const historyFrom = run.asOfDay - run.historyDays + 1;
  const current = scoreWindow(run.asOfDay, run.windowDays);
  const previous = scoreWindow(run.asOfDay - run.compareDays, run.windowDays);
  const pointsFrom = Math.min(historyFrom - run.windowDays + 1, previous.startDay);
  const span = run.asOfDay - pointsFrom + 1;

  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunkIds = ids.slice(start, start + CHUNK);
    const first = chunkIds[0];
    const last = chunkIds[chunkIds.length - 1];
    if (first === undefined || last === undefined) continue;
    const slot = new Map(chunkIds.map((id, i) => [id, i * span]));
    const points = new Float64Array(chunkIds.length * span);
    forEachDailyPoints(db, { fromAccountId: first, toAccountId: last, accountIds: only ? chunkIds : undefined, fromDay: pointsFrom, toDay: run.asOfDay, weights: run.weights }, (accountId, day, p) => {
      const at = slot.get(accountId);
      if (at !== undefined) points[at + day - pointsFrom] = p;
    });

    const rows: ScoreRow[] = [];
    chunkIds.forEach((accountId, i) => {
      // Accounts without events have all-zero points, so a zero score and history.
      const own = points.subarray(i * span, (i + 1) * span);
      const currentScore = sumOver(own, pointsFrom, current.startDay, current.endDay);
      const previousScore = sumOver(own, pointsFrom, previous.startDay, previous.endDay);
      // The blob holds the closed days; the last day of the series is the current score (lib/scoring/history.ts).
      const series = rollingWindowSums(own, run.windowDays, run.historyDays);
      rows.push({
        accountId,
        current: currentScore,
        previous: previousScore,
        band: bandFor(currentScore / 100, run.thresholds),
        previousBand: bandFor(previousScore / 100, run.thresholds),
        declining: isDeclining(currentScore, previousScore, run.decline),
        history: encodeHistory(series.subarray(0, run.historyDays - 1)),
      });
    });
    yield rows;
  }
}

/** Writes score rows; call inside a transaction. */
export function writeScoreRows(db: Database, run: ScoringRun, rows: Iterable<ScoreRow>): number {
  const upsertScore = db.sqlite.prepare(
    `INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(account_id) DO UPDATE SET as_of_day = excluded.as_of_day, score_hundredths = excluded.score_hundredths,
       previous_hundredths = excluded.previous_hundredths, band = excluded.band, previous_band = excluded.previous_band,
       declining = excluded.declining, config_version = excluded.config_version`,
  );
  const upsertHistory = db.sqlite.prepare(
    `INSERT INTO score_history (account_id, start_day, scores, config_version) VALUES (?, ?, ?, ?)
     ON CONFLICT(account_id) DO UPDATE SET start_day = excluded.start_day, scores = excluded.scores, config_version = excluded.config_version`,
  );
  const historyFrom = run.asOfDay - run.historyDays + 1;
  const written: number[] = [];
  for (const row of rows) {
    upsertScore.run(row.accountId, run.asOfDay, row.current, row.previous, row.band, row.previousBand, row.declining ? 1 : 0, run.configVersion);
    upsertHistory.run(row.accountId, historyFrom, row.history, run.configVersion);
    written.push(row.accountId);
  }
  logScoreChanges(db, written);
  return written.length;
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
