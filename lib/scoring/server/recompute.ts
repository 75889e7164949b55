import "server-only";
import type { Database } from "@/db";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { dayFromMs, parseIsoDate, todayDay, type DayNumber } from "@/lib/days";
import { bandFor, type Band, type BandThresholds } from "../bands";
import type { DeclineRule } from "../decline";
import { encodeHistory } from "../history";
import { rollingWindowSums, scoreWindow, type WeightTable } from "../score";
import { accountStanding, firstKnownDay, type Activity } from "../standing";
import type { ScoreWrite, StoredStanding } from "@/lib/alerts/score-writes";
import { cachedStatement } from "@/db/query-cache";
import { logScoreChanges, logScoreWrites } from "./score-change-log";
import { firstEventDaysBefore, forEachDailyPoints } from "./score-queries";
import { syncScoresInTransactionSqlite as syncScoresInTransaction } from "./score-sync-sqlite";
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

/** An account to score; `signupDate` and `createdAt` tell when it began (lib/scoring/standing.ts firstKnownDay), with its first event. */
export type AccountToScore = Columns<typeof schema.accounts, "id" | "signupDate" | "createdAt">;

/** The accounts to score, in id order: every account, or those of `only` that exist. */
function accountsIn(db: Database, only?: readonly number[]): AccountToScore[] {
  const columns = "SELECT id, signup_date AS signupDate, created_at AS createdAt FROM accounts";
  if (only) return db.sqlite.prepare<unknown[], AccountToScore>(`${columns} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`).all(JSON.stringify(only));
  return db.sqlite.prepare<unknown[], AccountToScore>(`${columns} ORDER BY id`).all();
}

/** Σ of `points` over the days `from` … `to` (inclusive), given that points[0] is `firstDay`. */
function sumOver(points: Float64Array, firstDay: DayNumber, from: DayNumber, to: DayNumber): number {
  let total = 0;
  for (let day = Math.max(from, firstDay); day <= to; day++) total += points[day - firstDay] ?? 0;
  return total;
}

/** Whether any day from `from` to `to` (inclusive) had scored events, given that scored[0] is `firstDay`. */
function anyOver(scored: Uint8Array, firstDay: DayNumber, from: DayNumber, to: DayNumber): boolean {
  for (let day = Math.max(from, firstDay); day <= to; day++) if (scored[day - firstDay]) return true;
  return false;
}

/** The days whose points a run reads: from the first day of the oldest window it needs to the scores' day. */
export function pointSpan(run: ScoringRun): { pointsFrom: DayNumber; span: number } {
  const historyFrom = run.asOfDay - run.historyDays + 1;
  const previous = scoreWindow(run.asOfDay - run.compareDays, run.windowDays);
  const pointsFrom = Math.min(historyFrom - run.windowDays + 1, previous.startDay);
  return { pointsFrom, span: run.asOfDay - pointsFrom + 1 };
}

/**
 * Computes score rows chunk by chunk: each account's daily points (Σ weight × count per day,
 * read day by day from the day-first rollups), from which come the current and previous
 * scores (sums over their windows), the daily history (rolling sums) and the account's
 * standing (whether scored events fell in each window, and its first day: signup, first
 * record or first event of any type, whichever came first). Reads only; the caller writes.
 */
export function* computeScoreRows(db: Database, run: ScoringRun, only?: readonly number[]): Generator<ScoreRow[]> {
  const accounts = accountsIn(db, only);
  const { pointsFrom, span } = pointSpan(run);
  const firstId = accounts[0]?.id;
  const lastId = accounts.at(-1)?.id;
  if (firstId === undefined || lastId === undefined) return;
  // First events older than every day read below (one scan of the older rollups, if any).
  const olderFirstEvents = firstEventDaysBefore(db, { fromAccountId: firstId, toAccountId: lastId, accountIds: only ? accounts.map((a) => a.id) : undefined, beforeDay: pointsFrom });

  for (let start = 0; start < accounts.length; start += CHUNK) {
    const chunk = accounts.slice(start, start + CHUNK);
    const first = chunk[0]?.id;
    const last = chunk.at(-1)?.id;
    if (first === undefined || last === undefined) continue;
    const slot = new Map(chunk.map((a, i) => [a.id, i]));
    const points = new Float64Array(chunk.length * span);
    const scored = new Uint8Array(chunk.length * span);
    const firstEventDay = new Float64Array(chunk.length).fill(Number.NaN);
    forEachDailyPoints(
      db,
      { fromAccountId: first, toAccountId: last, accountIds: only ? chunk.map((a) => a.id) : undefined, fromDay: pointsFrom, toDay: run.asOfDay, weights: run.weights },
      (accountId, day, p, anyScored) => {
        const i = slot.get(accountId);
        if (i === undefined) return;
        points[i * span + day - pointsFrom] = p;
        if (anyScored) scored[i * span + day - pointsFrom] = 1;
        // Days come in ascending order: the first one seen is the earliest in the span.
        if (Number.isNaN(firstEventDay[i])) firstEventDay[i] = day;
      },
    );

    yield scoreRowsOfChunk(run, chunk, { pointsFrom, span, points, scored, firstEventDay, olderFirstEvents });
  }
}

/** What a chunk's rows are computed from: the accounts' daily points and first event days. */
export interface ChunkPoints {
  pointsFrom: DayNumber;
  span: number;
  /** points[i * span + d]: account i's points on day pointsFrom + d. */
  points: Float64Array;
  scored: Uint8Array;
  /** The first day with events within the span, NaN when none. */
  firstEventDay: Float64Array;
  /** First events before the span. */
  olderFirstEvents: Map<number, DayNumber>;
}

/** One chunk's score rows from its daily points (shared by both databases' readers). */
export function scoreRowsOfChunk(run: ScoringRun, chunk: readonly AccountToScore[], c: ChunkPoints): ScoreRow[] {
  const { pointsFrom, span, points, scored, firstEventDay, olderFirstEvents } = c;
  const current = scoreWindow(run.asOfDay, run.windowDays);
  const previous = scoreWindow(run.asOfDay - run.compareDays, run.windowDays);
  const rows: ScoreRow[] = [];
  chunk.forEach((account, i) => {
    // Accounts without events have all-zero points, so a zero score and history.
    const own = points.subarray(i * span, (i + 1) * span);
    const ownScored = scored.subarray(i * span, (i + 1) * span);
    const currentScore = sumOver(own, pointsFrom, current.startDay, current.endDay);
    const previousScore = sumOver(own, pointsFrom, previous.startDay, previous.endDay);
    // The blob holds the closed days; the last day of the series is the current score (lib/scoring/history.ts).
    const series = rollingWindowSums(own, run.windowDays, run.historyDays);
    const firstEvent = olderFirstEvents.get(account.id) ?? firstEventDay[i];
    const firstDay = firstDayOf(account, firstEvent === undefined || Number.isNaN(firstEvent) ? null : firstEvent, run.asOfDay);
    const standing = accountStanding({
      asOfDay: run.asOfDay,
      firstDay,
      windowDays: run.windowDays,
      compareDays: run.compareDays,
      thresholds: run.thresholds,
      decline: run.decline,
      currentHundredths: currentScore,
      previousHundredths: previousScore,
      currentScoredEvents: anyOver(ownScored, pointsFrom, current.startDay, current.endDay),
      previousScoredEvents: anyOver(ownScored, pointsFrom, previous.startDay, previous.endDay),
    });
    rows.push({
      accountId: account.id,
      current: currentScore,
      previous: previousScore,
      band: standing.band,
      // Stored whatever the standing; readers show it only when previous_activity says the account existed.
      previousBand: bandFor(previousScore / 100, run.thresholds),
      declining: standing.declining,
      firstDay,
      activity: standing.activity,
      previousActivity: standing.previous?.activity ?? null,
      history: encodeHistory(series.subarray(0, run.historyDays - 1)),
    });
  });
  return rows;
}

/** The account's first known day: its signup date, the day it was first recorded or its first event. */
function firstDayOf(account: AccountToScore, firstEventDay: DayNumber | null, asOfDay: DayNumber): DayNumber {
  return firstKnownDay(asOfDay, account.signupDate ? parseIsoDate(account.signupDate) : null, dayFromMs(account.createdAt), firstEventDay);
}

/** A stored score as a write compares it with the new one (both recompute drivers read it). */
export type StoredScoreRow = Columns<
  typeof schema.accountScores,
  "accountId" | "band" | "declining" | "activity" | "previousActivity" | "scoreHundredths" | "configVersion"
>;

/** The stored scores of these accounts, before a write replaces them (one statement). */
function storedScores(db: Database, accountIds: readonly number[]): Map<number, StoredStanding> {
  const rows = cachedStatement<StoredScoreRow>(
    db,
    `SELECT account_id AS accountId, band, declining, activity, previous_activity AS previousActivity, score_hundredths AS scoreHundredths,
       config_version AS configVersion FROM account_scores WHERE account_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(accountIds));
  return new Map(rows.map((r) => [r.accountId, { ...r, declining: r.declining === 1 }]));
}

/**
 * Writes score rows; call inside a transaction. What changed is logged in the same transaction
 * (aggregate_changes; transitions, configuration summaries and score changes for alerts and the
 * read API, lib/scoring/server/score-change-log.ts), one statement per kind for the whole batch.
 */
export function writeScoreRows(db: Database, run: ScoringRun, batch: Iterable<ScoreRow>): number {
  const rows = [...batch];
  const before = storedScores(
    db,
    rows.map((r) => r.accountId),
  );
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
  const written: number[] = [];
  const writes: ScoreWrite[] = [];
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
    written.push(row.accountId);
    writes.push({
      accountId: row.accountId,
      before: before.get(row.accountId) ?? null,
      after: {
        band: row.band,
        declining: row.declining,
        activity: row.activity,
        previousActivity: row.previousActivity,
        scoreHundredths: row.current,
        configVersion: run.configVersion,
      },
    });
  }
  logScoreChanges(db, written);
  logScoreWrites(db, writes);
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
 * (lib/scoring/server/recompute-job.ts), which does not block the server.
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
      const storedAsOf = db.sqlite.prepare<unknown[], number | null>("SELECT max(as_of_day) FROM account_scores").pluck().get() ?? null;
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
