import "server-only";
import type { Database } from "@/db";
import { todayDay } from "../days";
import type { ScoreWrite } from "../alerts/score-writes";
import { bandFor, type Band } from "../scoring/bands";
import { closedHistory, encodeHistory, saturateInt32 } from "../scoring/history";
import { accountStanding, type Activity } from "../scoring/standing";
import { writeScoresInForce } from "./recompute";
import { logScoreChanges, logScoreWrites } from "./score-change-log";
import { latestIds, readScoreWatermark, writeScoreWatermark, type ScoreWatermark } from "./score-watermark";
import { getScoringSettings, getWeightTable } from "./settings";

/**
 * Incremental score maintenance (docs/adr/0005-ingestion-writes-and-score-maintenance.md). A score is a linear
 * function of event counts, so the events stored since the watermark change each account's
 * current score, previous score and daily history by exactly Σ weight × quantity over the
 * days they fall on. Applying those deltas costs O(new events + accounts they touch), not
 * O(accounts × history) like a recompute, and leaves the scores equal to what a full
 * recompute would write. New accounts are computed in full. Events on the scores' day (live
 * traffic) change only account_scores; earlier ones also rewrite the stored history.
 */
export interface SyncSummary {
  mode: "incremental" | "full";
  /** Events taken into account. */
  events: number;
  /** Accounts whose scores were written. */
  accounts: number;
  millis: number;
}

/** Above this many new events, one full recompute is cheaper than applying them one by one. */
const FULL_RECOMPUTE_BACKLOG = 2_000_000;
/**
 * Accounts whose first day is unknown (their signup date changed: migration 0012) are computed
 * again by the sync, up to this many at a time; more (every account, right after the migration
 * that added the column) are left to the non-blocking recompute job (freshness.ts).
 */
export const UNKNOWN_FIRST_DAY_LIMIT = 2_000;

function unknownFirstDays(db: Database): number[] {
  return db.sqlite
    .prepare("SELECT account_id FROM account_scores INDEXED BY account_scores_first_day_unknown_idx WHERE first_day IS NULL LIMIT ?")
    .pluck()
    .all(UNKNOWN_FIRST_DAY_LIMIT + 1) as number[];
}

/** Whether some accounts' first day must be computed again, few enough for the sync to do it. */
function hasFewUnknownFirstDays(db: Database): boolean {
  const n = unknownFirstDays(db).length;
  return n > 0 && n <= UNKNOWN_FIRST_DAY_LIMIT;
}

/** Whether every stored event and account is already reflected in the scores (index look-ups). */
export function scoresInSync(db: Database): boolean {
  const mark = readScoreWatermark(db);
  if (!mark) return false;
  const latest = latestIds(db);
  return mark.lastEventId >= latest.lastEventId && mark.lastAccountId >= latest.lastAccountId && !hasFewUnknownFirstDays(db);
}

/** Brings the scores up to date with every stored event and account; null when they were. */
export function syncScores(db: Database): SyncSummary | null {
  if (scoresInSync(db)) return null;
  return db.sqlite.transaction(() => syncScoresInTransaction(db)).immediate();
}

/** The same, for a caller that already holds a write transaction. */
export function syncScoresInTransaction(db: Database): SyncSummary | null {
  const started = performance.now();
  const mark = readScoreWatermark(db);
  const latest = latestIds(db);
  if (mark && mark.lastEventId >= latest.lastEventId && mark.lastAccountId >= latest.lastAccountId && !hasFewUnknownFirstDays(db)) return null;

  const settings = getScoringSettings(db);
  const stored = db.sqlite
    .prepare("SELECT max(as_of_day) AS asOf, min(config_version) AS minVersion, max(config_version) AS maxVersion FROM account_scores")
    .get() as { asOf: number | null; minVersion: number | null; maxVersion: number | null };
  const backlog = latest.lastEventId - (mark?.lastEventId ?? 0);
  const asOf = stored.asOf;
  const needsFull =
    !mark ||
    asOf === null ||
    stored.minVersion !== settings.configVersion ||
    stored.maxVersion !== settings.configVersion ||
    backlog > FULL_RECOMPUTE_BACKLOG;
  if (needsFull) {
    const summary = writeScoresInForce(db, { asOfDay: asOf ?? todayDay() });
    writeScoreWatermark(db, latest);
    return { mode: "full", events: backlog, accounts: summary.accounts, millis: Math.round(performance.now() - started) };
  }

  const accounts = applyEventDeltas(db, mark, latest, asOf);
  writeScoreWatermark(db, latest);
  return { mode: "incremental", events: backlog, accounts, millis: Math.round(performance.now() - started) };
}

function applyEventDeltas(db: Database, mark: ScoreWatermark, latest: ScoreWatermark, asOf: number): number {
  const { sqlite } = db;
  const { windowDays, compareDays, thresholds, decline } = getScoringSettings(db);
  const weights = getWeightTable(db);
  const currentFrom = asOf - windowDays + 1;
  const previousTo = asOf - compareDays;
  const previousFrom = previousTo - windowDays + 1;

  // Points per account per day from the new events; days after the scores' day wait for the
  // next full recompute (a new day), exactly as a recompute as of `asOf` would ignore them.
  // The earliest day of each account's new events, of any weight: an event before the
  // account's stored first day moves that day (lib/scoring/standing.ts).
  const deltas = new Map<number, Map<number, number>>();
  const earliest = new Map<number, number>();
  const newEvents = sqlite
    .prepare("SELECT account_id, day, type_id, quantity FROM events WHERE id > ? AND id <= ?")
    .raw()
    .iterate(mark.lastEventId, latest.lastEventId) as IterableIterator<[number, number, number, number]>;
  for (const [accountId, day, typeId, quantity] of newEvents) {
    if (day > asOf) continue;
    if (day < (earliest.get(accountId) ?? Number.POSITIVE_INFINITY)) earliest.set(accountId, day);
    const weight = weights.get(typeId) ?? 0;
    if (weight === 0) continue;
    let perDay = deltas.get(accountId);
    if (!perDay) {
      perDay = new Map();
      deltas.set(accountId, perDay);
    }
    perDay.set(day, (perDay.get(day) ?? 0) + weight * quantity);
  }

  const selectScore = sqlite.prepare(
    `SELECT score_hundredths AS current, previous_hundredths AS previous, first_day AS firstDay, activity, previous_activity AS previousActivity,
       band, declining, config_version AS configVersion
       FROM account_scores WHERE account_id = ?`,
  );
  const updateScore = sqlite.prepare(
    `UPDATE account_scores SET score_hundredths = @current, previous_hundredths = @previous, band = @band,
       previous_band = @previousBand, declining = @declining, activity = @activity, previous_activity = @previousActivity
     WHERE account_id = @accountId`,
  );
  const selectHistory = sqlite.prepare("SELECT start_day AS startDay, scores FROM score_history WHERE account_id = ?");
  const updateHistory = sqlite.prepare("UPDATE score_history SET scores = ? WHERE account_id = ?");

  const recompute = new Set<number>(unknownFirstDays(db).slice(0, UNKNOWN_FIRST_DAY_LIMIT));
  // Events before an account's known first day change what it is (new, not active yet): computed
  // in full. Accounts with scored events are checked below, from the score row read anyway.
  const beforeFirstDay = (accountId: number, firstDay: number | null | undefined) => firstDay === undefined || firstDay === null || (earliest.get(accountId) ?? Number.POSITIVE_INFINITY) < firstDay;
  const selectFirstDay = sqlite.prepare("SELECT first_day FROM account_scores WHERE account_id = ?").pluck();
  for (const accountId of earliest.keys()) {
    if (!deltas.has(accountId) && beforeFirstDay(accountId, selectFirstDay.get(accountId) as number | null | undefined)) recompute.add(accountId);
  }
  const changedScores: number[] = [];
  const writes: ScoreWrite[] = [];
  let written = 0;
  // In account order: the rows (and their pages) are visited once each, front to back.
  for (const accountId of [...deltas.keys()].sort((a, b) => a - b)) {
    const perDay = deltas.get(accountId);
    if (!perDay || recompute.has(accountId)) continue;
    const score = selectScore.get(accountId) as
      | { current: number; previous: number; firstDay: number | null; activity: Activity; previousActivity: Activity | null; band: Band; declining: number; configVersion: number }
      | undefined;
    if (!score || beforeFirstDay(accountId, score.firstDay)) {
      recompute.add(accountId);
      continue;
    }
    let currentDelta = 0;
    let previousDelta = 0;
    let currentScored = score.activity === "active";
    let previousScored = score.previousActivity === "active";
    // Only events before the scores' day change the stored (closed) days of the history; the
    // scores' day itself is the current score (lib/scoring/history.ts). Live events never
    // need the history row read or rewritten.
    let closedDayEvents = false;
    for (const [day, points] of perDay) {
      if (day >= currentFrom) {
        currentDelta += points;
        currentScored = true;
      }
      if (day >= previousFrom && day <= previousTo) {
        previousDelta += points;
        previousScored = true;
      }
      if (day < asOf) closedDayEvents = true;
    }
    let historyChanged = false;
    if (closedDayEvents) {
      const history = selectHistory.get(accountId) as { startDay: number; scores: Buffer } | undefined;
      if (!history) {
        recompute.add(accountId);
        continue;
      }
      const series = closedHistory(history.scores, history.startDay, asOf);
      const closed = series.length;
      for (const [day, points] of perDay) {
        // An event on `day` counts in the windows ending on day … day + windowDays − 1.
        const from = Math.max(day, history.startDay) - history.startDay;
        const to = Math.min(day + windowDays - 1 - history.startDay, closed - 1);
        for (let i = from; i <= to; i++) {
          series[i] = saturateInt32((series[i] ?? 0) + points);
          historyChanged = true;
        }
      }
      if (historyChanged) updateHistory.run(encodeHistory(series), accountId);
    }
    const current = score.current + currentDelta;
    const previous = score.previous + previousDelta;
    const standing = accountStanding({
      asOfDay: asOf,
      firstDay: score.firstDay,
      windowDays,
      compareDays,
      thresholds,
      decline,
      currentHundredths: current,
      previousHundredths: previous,
      currentScoredEvents: currentScored,
      previousScoredEvents: previousScored,
    });
    const previousActivity = standing.previous?.activity ?? null;
    const standingChanged = standing.activity !== score.activity || previousActivity !== score.previousActivity;
    if (currentDelta !== 0 || previousDelta !== 0 || standingChanged) {
      updateScore.run({
        accountId,
        current,
        previous,
        band: standing.band,
        previousBand: bandFor(previous / 100, thresholds),
        declining: standing.declining ? 1 : 0,
        activity: standing.activity,
        previousActivity,
      });
      changedScores.push(accountId);
      writes.push({
        accountId,
        before: {
          band: score.band,
          declining: score.declining === 1,
          activity: score.activity,
          previousActivity: score.previousActivity,
          scoreHundredths: score.current,
          configVersion: score.configVersion,
        },
        after: { band: standing.band, declining: standing.declining, activity: standing.activity, previousActivity, scoreHundredths: current, configVersion: score.configVersion },
      });
    }
    if (currentDelta !== 0 || previousDelta !== 0 || standingChanged || historyChanged) written++;
  }

  logScoreChanges(db, changedScores);
  // Alerts and the read API (ADR 0016): one statement per kind of record, in this transaction.
  logScoreWrites(db, writes);

  const newAccounts = sqlite.prepare("SELECT id FROM accounts WHERE id > ? AND id <= ?").pluck().all(mark.lastAccountId, latest.lastAccountId) as number[];
  for (const id of newAccounts) recompute.add(id);
  if (recompute.size > 0) {
    writeScoresInForce(db, { asOfDay: asOf, accountIds: [...recompute].sort((a, b) => a - b) });
  }
  return written + recompute.size;
}
