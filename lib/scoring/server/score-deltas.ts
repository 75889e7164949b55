import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import type { ScoreWrite } from "@/lib/alerts/score-writes";
import { bandFor, type Band, type BandThresholds } from "../bands";
import type { DeclineRule } from "../decline";
import { closedHistory, encodeHistory, saturateInt32 } from "../history";
import type { WeightTable } from "../score";
import { accountStanding, type Activity } from "../standing";

/**
 * The arithmetic of the incremental score sync (docs/adr/0005-ingestion-writes-and-score-maintenance.md),
 * shared by its two drivers: the synchronous SQLite fast path (score-sync-sqlite.ts) and the
 * data-layer path (score-sync.ts). Pure: the drivers read and write, this decides.
 */
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
export const FULL_RECOMPUTE_BACKLOG = 2_000_000;
/**
 * Accounts whose first day is unknown (their signup date changed: migration 0012) are computed
 * again by the sync, up to this many at a time; more (every account, right after the migration
 * that added the column) are left to the non-blocking recompute job (freshness.ts).
 */
export const UNKNOWN_FIRST_DAY_LIMIT = 2_000;

export interface SyncWindows {
  asOf: number;
  windowDays: number;
  compareDays: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
}

/** Points per account per day from new events, and each account's earliest new event day (any weight). */
export interface EventDeltas {
  deltas: Map<number, Map<number, number>>;
  earliest: Map<number, number>;
}

export function emptyDeltas(): EventDeltas {
  return { deltas: new Map(), earliest: new Map() };
}

/**
 * Adds one new event. Days after the scores' day wait for the next full recompute (a new day),
 * exactly as a recompute as of `asOf` would ignore them. An event before the account's stored
 * first day moves that day (lib/scoring/standing.ts): `earliest` tells.
 */
export function addEventDelta(into: EventDeltas, weights: WeightTable, asOf: number, accountId: number, day: number, typeId: number, quantity: number): void {
  if (day > asOf) return;
  if (day < (into.earliest.get(accountId) ?? Number.POSITIVE_INFINITY)) into.earliest.set(accountId, day);
  const weight = weights.get(typeId) ?? 0;
  if (weight === 0) return;
  let perDay = into.deltas.get(accountId);
  if (!perDay) {
    perDay = new Map();
    into.deltas.set(accountId, perDay);
  }
  perDay.set(day, (perDay.get(day) ?? 0) + weight * quantity);
}

/** Whether the account's new events fall before its known first day (or it has none): it is computed in full. */
export function startsEarlier(into: EventDeltas, accountId: number, firstDay: number | null | undefined): boolean {
  return firstDay === undefined || firstDay === null || (into.earliest.get(accountId) ?? Number.POSITIVE_INFINITY) < firstDay;
}

/** A stored score row as the sync reads it. */
/** An account's stored score as the sync reads it (`current`, `previous`: its score and comparison-window sum). */
export type StoredScore = Columns<typeof schema.accountScores, "firstDay" | "activity" | "previousActivity" | "band" | "declining" | "configVersion"> & {
  current: Column<typeof schema.accountScores, "scoreHundredths">;
  previous: Column<typeof schema.accountScores, "previousHundredths">;
};

export type StoredHistory = Columns<typeof schema.scoreHistory, "startDay" | "scores">;

/** The stored scores' day and the oldest and newest configuration they were computed with (null: no scores), aggregated over account_scores. */
export interface StoredScoresExtent {
  asOf: Column<typeof schema.accountScores, "asOfDay"> | null;
  minVersion: Column<typeof schema.accountScores, "configVersion"> | null;
  maxVersion: Column<typeof schema.accountScores, "configVersion"> | null;
}

/** The new values of a score row after its deltas. */
export interface ScoreUpdate {
  accountId: number;
  current: number;
  previous: number;
  band: Band;
  previousBand: Band;
  declining: number;
  activity: Activity;
  previousActivity: Activity | null;
}

export type DeltaOutcome =
  | { kind: "recompute" }
  | {
      kind: "applied";
      /** null when nothing a reader sees changed. */
      update: ScoreUpdate | null;
      write: ScoreWrite | null;
      /** The history blob to store, or null when it is unchanged. */
      history: Buffer | null;
      /** Whether any row of the account was written. */
      written: boolean;
    };

/**
 * Whether the account's new events change stored (closed) days of its history: only events
 * before the scores' day do; the scores' day itself is the current score (lib/scoring/history.ts).
 * Live events never need the history row read or rewritten.
 */
export function touchesHistory(perDay: ReadonlyMap<number, number>, asOf: number): boolean {
  for (const day of perDay.keys()) if (day < asOf) return true;
  return false;
}

/**
 * One account's score (and history, when `touchesHistory`) after its new events' points:
 * `history` is the stored row when it was needed (undefined when it is missing: the account
 * is computed in full).
 */
export function applyAccountDeltas(accountId: number, score: StoredScore, perDay: ReadonlyMap<number, number>, w: SyncWindows, history: StoredHistory | undefined | null): DeltaOutcome {
  const currentFrom = w.asOf - w.windowDays + 1;
  const previousTo = w.asOf - w.compareDays;
  const previousFrom = previousTo - w.windowDays + 1;
  let currentDelta = 0;
  let previousDelta = 0;
  let currentScored = score.activity === "active";
  let previousScored = score.previousActivity === "active";
  for (const [day, points] of perDay) {
    if (day >= currentFrom) {
      currentDelta += points;
      currentScored = true;
    }
    if (day >= previousFrom && day <= previousTo) {
      previousDelta += points;
      previousScored = true;
    }
  }
  let newHistory: Buffer | null = null;
  if (touchesHistory(perDay, w.asOf)) {
    if (!history) return { kind: "recompute" };
    const series = closedHistory(history.scores, history.startDay, w.asOf);
    const closed = series.length;
    let changed = false;
    for (const [day, points] of perDay) {
      // An event on `day` counts in the windows ending on day … day + windowDays − 1.
      const from = Math.max(day, history.startDay) - history.startDay;
      const to = Math.min(day + w.windowDays - 1 - history.startDay, closed - 1);
      for (let i = from; i <= to; i++) {
        series[i] = saturateInt32((series[i] ?? 0) + points);
        changed = true;
      }
    }
    if (changed) newHistory = encodeHistory(series);
  }
  const current = score.current + currentDelta;
  const previous = score.previous + previousDelta;
  const standing = accountStanding({
    asOfDay: w.asOf,
    firstDay: score.firstDay,
    windowDays: w.windowDays,
    compareDays: w.compareDays,
    thresholds: w.thresholds,
    decline: w.decline,
    currentHundredths: current,
    previousHundredths: previous,
    currentScoredEvents: currentScored,
    previousScoredEvents: previousScored,
  });
  const previousActivity = standing.previous?.activity ?? null;
  const standingChanged = standing.activity !== score.activity || previousActivity !== score.previousActivity;
  const scoreChanged = currentDelta !== 0 || previousDelta !== 0 || standingChanged;
  if (!scoreChanged) return { kind: "applied", update: null, write: null, history: newHistory, written: newHistory !== null };
  return {
    kind: "applied",
    update: {
      accountId,
      current,
      previous,
      band: standing.band,
      previousBand: bandFor(previous / 100, w.thresholds),
      declining: standing.declining ? 1 : 0,
      activity: standing.activity,
      previousActivity,
    },
    write: {
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
    },
    history: newHistory,
    written: true,
  };
}
