import "server-only";
import type { Database } from "@/db";
import { dayFromIsoDate, isoDateFromDay, type DayNumber } from "@/lib/days";
import type { InsightsParams, LeadDays } from "@/lib/insights/params";
import { suggestWeights, type RenewalCounts, type SuggestionType } from "@/lib/insights/suggest";
import type { SuggestionData } from "@/lib/insights/types";
import { validate, type RenewalForValidation, type UnscoredReason, type ValidationData } from "@/lib/insights/validation";
import { isRenewalOutcome, stayed, type RenewalOutcome } from "@/lib/renewals/outcomes";
import { getCountMatrix } from "./count-matrix";
import { DAYS_ASCENDING } from "./day-series";
import { cachedStatement, memoUntilWrite } from "./query-cache";
import { HISTORY_DAYS } from "./recompute";
import { getScoringSettings } from "./settings";

/**
 * The validation page's data: renewal outcomes in a period, each with the score its account
 * had `lead` days before the renewal date (read from score_history: one 4-byte cell of the
 * account's blob, cut out in SQL; on the scores' own day, the current score) and, for the suggested weights, the per-event-type counts
 * of the scoring window ending that day (from the day-first rollups, a seek per day). Both results are
 * memoised until the next write to the database.
 */

interface ScoreFrame {
  asOfDay: DayNumber;
  historyStartDay: DayNumber;
}

/** The days the score history covers, or null before the first scoring. */
function scoreFrame(db: Database): ScoreFrame | null {
  const asOfDay = cachedStatement(db, "SELECT max(as_of_day) FROM account_scores", { pluck: true }).get() as number | null;
  if (asOfDay === null) return null;
  return { asOfDay, historyStartDay: asOfDay - HISTORY_DAYS + 1 };
}

export interface ResolvedInsightsParams {
  from: string;
  to: string;
  lead: LeadDays;
}

/** The period asked for; by default the year up to the scores' as-of day. */
function resolve(params: InsightsParams, frame: ScoreFrame): ResolvedInsightsParams {
  return {
    from: params.from ?? isoDateFromDay(frame.asOfDay - 364),
    to: params.to ?? isoDateFromDay(frame.asOfDay),
    lead: params.lead,
  };
}

interface OutcomeRow {
  accountId: number;
  renewalDate: string;
  outcome: string;
  startDay: number | null;
  cells: number | null;
  cell: Buffer | null;
  currentHundredths: number | null;
}

interface ReadRenewal extends RenewalForValidation {
  accountId: number;
  /** The day the score is read (renewal − lead). */
  readDay: DayNumber;
}

/**
 * Outcomes with renewal dates in [from, to], oldest first, each with its score `lead` days
 * earlier when the history holds that day.
 */
function readRenewals(db: Database, period: ResolvedInsightsParams, frame: ScoreFrame): ReadRenewal[] {
  const rows = cachedStatement(
    db,
    // 2440587.5 is the Julian day of 1970-01-01: julianday(date) − 2440587.5 is the UTC day number.
    `SELECT o.account_id AS accountId, o.renewal_date AS renewalDate, o.outcome, h.start_day AS startDay,
            length(h.scores) / 4 AS cells,
            substr(h.scores, (CAST(julianday(o.renewal_date) - 2440587.5 AS INTEGER) - @lead - h.start_day) * 4 + 1, 4) AS cell,
            s.score_hundredths AS currentHundredths
       FROM renewal_outcomes o LEFT JOIN score_history h ON h.account_id = o.account_id
       LEFT JOIN account_scores s ON s.account_id = o.account_id
      WHERE o.renewal_date BETWEEN @from AND @to
      ORDER BY o.renewal_date, o.account_id`,
  ).all(period) as OutcomeRow[];
  const renewals: ReadRenewal[] = [];
  for (const row of rows) {
    if (!isRenewalOutcome(row.outcome)) continue;
    const readDay = dayFromIsoDate(row.renewalDate) - period.lead;
    let unscored: UnscoredReason | null = null;
    let scoreHundredths: number | null = null;
    if (row.startDay === null || row.cells === null) unscored = "no_history";
    else if (readDay < Math.max(row.startDay, frame.historyStartDay)) unscored = "before_history";
    else if (readDay > frame.asOfDay) unscored = "after_history";
    // The history blob holds the closed days; the as-of day's score is the current one (lib/scoring/history.ts).
    else if (readDay === frame.asOfDay && row.currentHundredths !== null) scoreHundredths = row.currentHundredths;
    else if (readDay - row.startDay >= row.cells) unscored = "after_history";
    else if (row.cell && row.cell.length === 4) scoreHundredths = row.cell.readInt32LE(0);
    else unscored = "no_history";
    renewals.push({ accountId: row.accountId, renewalDate: row.renewalDate, outcome: row.outcome as RenewalOutcome, scoreHundredths, unscored, readDay });
  }
  return renewals;
}

/**
 * Each type's mean count per account in the scoring window of the scores' own day, over
 * every account: what the overview's mean score is made of (the suggestion keeps that mean).
 */
function meanCountsNow(db: Database, asOfDay: DayNumber, windowDays: number, compareDays: number, typeIds: readonly number[]): Float64Array {
  const matrix = getCountMatrix(db, { asOfDay, windowDays, compareDays });
  const m = matrix.typeIds.length;
  const n = matrix.accountIds.length;
  const column = new Map(matrix.typeIds.map((id, j) => [id, j]));
  return Float64Array.from(typeIds, (id) => {
    const j = column.get(id);
    if (j === undefined || n === 0) return 0;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += matrix.current[i * m + j] ?? 0;
    return sum / n;
  });
}

/** Null before anything was scored. */
export function getValidation(db: Database, params: InsightsParams): ValidationData | null {
  const frame = scoreFrame(db);
  if (!frame) return null;
  const period = resolve(params, frame);
  return memoUntilWrite(db, `insights:validation:${period.from}:${period.to}:${period.lead}`, () => {
    const settings = getScoringSettings(db);
    return validate({
      ...period,
      windowDays: settings.windowDays,
      thresholds: settings.thresholds,
      historyStartDate: isoDateFromDay(frame.historyStartDay),
      asOfDate: isoDateFromDay(frame.asOfDay),
      renewals: readRenewals(db, period, frame),
    });
  });
}

/**
 * Suggested weights for the scored renewals of the period: the counts of each event type in
 * the scoring window that ends `lead` days before each renewal, against its outcome. Null
 * before anything was scored.
 */
export function getSuggestion(db: Database, params: InsightsParams): SuggestionData | null {
  const frame = scoreFrame(db);
  if (!frame) return null;
  const period = resolve(params, frame);
  return memoUntilWrite(db, `insights:suggestion:${period.from}:${period.to}:${period.lead}`, () => {
    const { windowDays, compareDays, thresholds } = getScoringSettings(db);
    const types = db.sqlite
      .prepare("SELECT id, key, label, weight_hundredths AS weightHundredths, active FROM event_types ORDER BY id")
      .all() as (SuggestionType & { id: number; active: number | boolean })[];
    const column = new Map(types.map((t, i) => [t.id, i]));
    // The rollups are keyed day first: one seek per day of the window.
    const counts = cachedStatement(
      db,
      `WITH RECURSIVE ${DAYS_ASCENDING}
       SELECT r.type_id AS typeId, sum(r.count) AS n
         FROM days CROSS JOIN daily_rollups r ON r.day = days.day AND r.account_id = @accountId
        GROUP BY r.type_id`,
    );
    const rows: RenewalCounts[] = [];
    for (const r of readRenewals(db, period, frame)) {
      if (r.scoreHundredths === null) continue;
      const vector = new Float64Array(types.length);
      for (const c of counts.all({ accountId: r.accountId, fromDay: r.readDay - windowDays + 1, toDay: r.readDay }) as { typeId: number; n: number }[]) {
        const i = column.get(c.typeId);
        if (i !== undefined) vector[i] = c.n;
      }
      rows.push({ renewed: stayed(r.outcome), counts: vector, currentScore: r.scoreHundredths / 100 });
    }
    return {
      ...period,
      windowDays,
      renewals: rows.length,
      suggestion: suggestWeights(
        rows,
        types.map((t) => ({ key: t.key, label: t.label, weightHundredths: t.weightHundredths, active: Boolean(t.active) })),
        { meanCounts: meanCountsNow(db, frame.asOfDay, windowDays, compareDays, types.map((t) => t.id)), mediumFrom: thresholds.mediumFrom, highFrom: thresholds.highFrom },
      ),
    };
  });
}
