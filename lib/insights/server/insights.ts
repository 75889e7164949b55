import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns, LeftJoined } from "@/db/rows";
import type * as schema from "@/db/schema";
import { blobSlice, dayOfIsoDate } from "@/db/dialect";
import { dayFromIsoDate, isoDateFromDay, type DayNumber } from "@/lib/days";
import type { InsightsParams, LeadDays } from "@/lib/insights/params";
import { suggestWeights, type RenewalCounts } from "@/lib/insights/suggest";
import type { SuggestionData } from "@/lib/insights/types";
import { validate, type RenewalForValidation, type UnscoredReason, type ValidationData } from "@/lib/insights/validation";
import { isRenewalOutcome, stayed } from "@/lib/accounts/renewal-outcomes";
import { loadCountMatrix } from "@/lib/scoring/server/count-matrix";
import { daySeries } from "@/lib/scoring/server/day-series";
import { memoUntilChange } from "@/db/query-cache";
import { HISTORY_DAYS } from "@/lib/scoring/server/recompute";
import { loadScoringSettings } from "@/lib/scoring/server/settings";

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
async function scoreFrame(db: Db): Promise<ScoreFrame | null> {
  const asOfDay = (await db.value<Column<typeof schema.accountScores, "asOfDay"> | null>(sql`SELECT max(as_of_day) FROM account_scores`)) ?? null;
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

/**
 * A renewal outcome with what its account's history holds: the history's first day, its
 * length in days (`cells`) and the 4-byte cell of the day the score is read (`cell`), and the
 * current score (`currentHundredths`); each null when the account has no history or no score.
 */
type OutcomeRow = Columns<typeof schema.renewalOutcomes, "accountId" | "renewalDate" | "outcome"> &
  LeftJoined<Columns<typeof schema.scoreHistory, "startDay">> & {
    cells: number | null;
    cell: Buffer | null;
    currentHundredths: Column<typeof schema.accountScores, "scoreHundredths"> | null;
  };

interface ReadRenewal extends RenewalForValidation {
  accountId: number;
  /** The day the score is read (renewal − lead). */
  readDay: DayNumber;
}

/**
 * Outcomes with renewal dates in [from, to], oldest first, each with its score `lead` days
 * earlier when the history holds that day.
 */
async function readRenewals(db: Db, period: ResolvedInsightsParams, frame: ScoreFrame): Promise<ReadRenewal[]> {
  // The renewal's history cell, lead days before it: 4 bytes cut out of the blob in SQL.
  const cellStart = sql`(${dayOfIsoDate(db.dialect, sql`o.renewal_date`)} - ${period.lead} - h.start_day) * 4 + 1`;
  const rows = await db.all<OutcomeRow>(
    sql`SELECT o.account_id AS "accountId", o.renewal_date AS "renewalDate", o.outcome AS outcome, h.start_day AS "startDay",
               length(h.scores) / 4 AS cells, ${blobSlice(db.dialect, sql`h.scores`, cellStart, 4)} AS cell,
               s.score_hundredths AS "currentHundredths"
          FROM renewal_outcomes o LEFT JOIN score_history h ON h.account_id = o.account_id
          LEFT JOIN account_scores s ON s.account_id = o.account_id
         WHERE o.renewal_date BETWEEN ${period.from} AND ${period.to}
         ORDER BY o.renewal_date, o.account_id`,
  );
  const renewals: ReadRenewal[] = [];
  for (const row of rows) {
    const { outcome } = row;
    if (!isRenewalOutcome(outcome)) continue;
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
    renewals.push({ accountId: row.accountId, renewalDate: row.renewalDate, outcome, scoreHundredths, unscored, readDay });
  }
  return renewals;
}

/**
 * Each type's mean count per account in the scoring window of the scores' own day, over
 * every account: what the overview's mean score is made of (the suggestion keeps that mean).
 */
async function meanCountsNow(db: Db, asOfDay: DayNumber, windowDays: number, compareDays: number, typeIds: readonly number[]): Promise<Float64Array> {
  const matrix = await loadCountMatrix(db, { asOfDay, windowDays, compareDays });
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
export async function getValidation(db: Db, params: InsightsParams): Promise<ValidationData | null> {
  const frame = await scoreFrame(db);
  if (!frame) return null;
  const period = resolve(params, frame);
  return memoUntilChange(db, `insights:validation:${period.from}:${period.to}:${period.lead}`, async () => {
    const settings = await loadScoringSettings(db);
    return validate({
      ...period,
      windowDays: settings.windowDays,
      thresholds: settings.thresholds,
      historyStartDate: isoDateFromDay(frame.historyStartDay),
      asOfDate: isoDateFromDay(frame.asOfDay),
      renewals: await readRenewals(db, period, frame),
    });
  });
}

type SuggestionTypeRow = Columns<typeof schema.eventTypes, "id" | "key" | "label" | "weightHundredths" | "active">;

/** An event type's count over a window (`n`: the sum of its daily rollups). */
type TypeCountRow = Columns<typeof schema.dailyRollups, "typeId"> & { n: number };

/**
 * Suggested weights for the scored renewals of the period: the counts of each event type in
 * the scoring window that ends `lead` days before each renewal, against its outcome. Null
 * before anything was scored.
 */
export async function getSuggestion(db: Db, params: InsightsParams): Promise<SuggestionData | null> {
  const frame = await scoreFrame(db);
  if (!frame) return null;
  const period = resolve(params, frame);
  return memoUntilChange(db, `insights:suggestion:${period.from}:${period.to}:${period.lead}`, async () => {
    const { windowDays, compareDays, thresholds } = await loadScoringSettings(db);
    const types = await db.all<SuggestionTypeRow>(
      sql`SELECT id, key, label, weight_hundredths AS "weightHundredths", active FROM event_types ORDER BY id`,
    );
    const column = new Map(types.map((t, i) => [t.id, i]));
    const rows: RenewalCounts[] = [];
    for (const r of await readRenewals(db, period, frame)) {
      if (r.scoreHundredths === null) continue;
      const vector = new Float64Array(types.length);
      // The rollups are keyed day first: one seek per day of the window.
      const days = daySeries(db.dialect, { fromDay: r.readDay - windowDays + 1, toDay: r.readDay });
      const counts = await db.all<TypeCountRow>(
        sql`${days.with}
            SELECT r.type_id AS "typeId", sum(r.count) AS n
              FROM ${days.from} ${days.join} daily_rollups r ON r.day = days.day AND r.account_id = ${r.accountId}
             GROUP BY r.type_id`,
      );
      for (const c of counts) {
        const i = column.get(c.typeId);
        if (i !== undefined) vector[i] = c.n;
      }
      rows.push({ renewed: stayed(r.outcome), counts: vector, currentScore: r.scoreHundredths / 100 });
    }
    const meanCounts = await meanCountsNow(db, frame.asOfDay, windowDays, compareDays, types.map((t) => t.id));
    return {
      ...period,
      windowDays,
      renewals: rows.length,
      suggestion: suggestWeights(
        rows,
        types.map((t) => ({ key: t.key, label: t.label, weightHundredths: t.weightHundredths, active: t.active === 1 })),
        { meanCounts, mediumFrom: thresholds.mediumFrom, highFrom: thresholds.highFrom },
      ),
    };
  });
}
