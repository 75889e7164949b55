import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { eventCountsByMonth, monthColumns, type MonthColumn } from "../event-months";
import { isoDateFromDay, type DayNumber } from "@/lib/days";
import type { BandThresholds } from "@/lib/scoring/bands";
import type { ScoreStandingView } from "@/lib/scoring/standing";
import { decodeHistory, historyThroughDay } from "@/lib/scoring/history";
import { scoreMovement } from "@/lib/scoring/movement";
import { contributions, scoreWindow, type DailyCount } from "@/lib/scoring/score";
import { daySeries } from "@/lib/scoring/server/day-series";
import { HISTORY_DAYS } from "@/lib/scoring/server/recompute";
import { loadScoringSettings } from "@/lib/scoring/server/settings";
import { loadConfigChangeMarkers } from "@/lib/scoring/server/scoring-config";
import { readConsistently } from "@/db/query-cache";

export interface AccountDetailParams {
  accountId: number;
  /** How many of the latest raw events to include (default 25). */
  latestEvents?: number;
}

export type AccountInfo = Columns<
  typeof schema.accounts,
  "id" | "externalId" | "name" | "plan" | "region" | "industry" | "accountManager" | "stage" | "signupDate" | "trialEndDate" | "renewalDate" | "arr"
>;

export interface AccountScoreInfo extends ScoreStandingView {
  asOfDate: string;
  configVersion: number;
}

export interface EventTypeRef {
  typeId: number;
  key: string;
  label: string;
  active: boolean;
}

export interface ContributionLine extends EventTypeRef {
  count: number;
  weightHundredths: number;
  pointsHundredths: number;
}

export interface MovementLine extends EventTypeRef {
  weightHundredths: number;
  previousCount: number;
  currentCount: number;
  previousHundredths: number;
  currentHundredths: number;
  deltaHundredths: number;
}

export interface DateRange {
  from: string;
  to: string;
}

/** "Why this score" and "why it moved", from the rollups with the weights in force. */
export interface ScoreExplanation {
  window: DateRange;
  previousWindow: DateRange;
  contributions: ContributionLine[];
  /** Σ contributions: equal to the stored score while the stored score is current. */
  totalHundredths: number;
  previousTotalHundredths: number;
  movement: MovementLine[];
  /** False while the stored score predates the weights in force (a recompute is due). */
  matchesStoredScore: boolean;
}

export interface EventMonthsByType extends EventTypeRef {
  weightHundredths: number;
  counts: number[];
  total: number;
}

/** A raw event with its type's key and label, and the weight it counts with (0 while the type is inactive: computed). */
export type RawEventLine = Columns<typeof schema.events, "id" | "occurredAt" | "quantity"> & {
  typeKey: Column<typeof schema.eventTypes, "key">;
  typeLabel: Column<typeof schema.eventTypes, "label">;
  weightHundredths: Column<typeof schema.eventTypes, "weightHundredths">;
};

export type ChangeMarkerInfo = Columns<typeof schema.changeMarkers, "id" | "date" | "title" | "description">;

export interface AccountDetail {
  account: AccountInfo;
  score: AccountScoreInfo | null;
  settings: { windowDays: number; compareDays: number; thresholds: BandThresholds };
  /**
   * Daily score in hundredths, one value per day from `startDate`: from the start of the
   * stored history or the account's first day, whichever is later (no score before it existed).
   */
  history: { startDate: string; values: number[] } | null;
  markers: ChangeMarkerInfo[];
  /** Days the scoring rules changed within the history (the whole history was recomputed). */
  ruleChanges: { version: number; date: string; reason: string }[];
  explanation: ScoreExplanation | null;
  /** From the start of the history or the account's first day, whichever is later. */
  eventMonths: { months: string[]; columns: MonthColumn[]; types: EventMonthsByType[] };
  latestEvents: RawEventLine[];
}

type TypeRow = Columns<typeof schema.eventTypes, "id" | "key" | "label" | "active"> & { weight: Column<typeof schema.eventTypes, "weightHundredths"> };

type StoredScoreRow = Columns<
  typeof schema.accountScores,
  "asOfDay" | "scoreHundredths" | "previousHundredths" | "band" | "previousBand" | "declining" | "configVersion" | "firstDay" | "activity" | "previousActivity"
>;

type HistoryRow = Columns<typeof schema.scoreHistory, "startDay" | "scores">;

/** The first and last day any event is stored on (null: no events). */
interface EventDayBounds {
  first: number | null;
  last: number | null;
}

/** Days looked at in the first step of latestAccountEvents; each further step doubles the span. */
const LATEST_EVENTS_FIRST_SPAN = 8;

export interface LatestAccountEventsParams {
  accountId: number;
  limit: number;
  /**
   * The oldest day the latest `limit` events are expected on (from the account's rollups): the
   * first span reaches back to it, so a read usually takes one query instead of three or four.
   * Only a hint: when that span holds fewer events the walk goes on further back.
   */
  expectedFromDay?: DayNumber;
}

/**
 * The oldest day from which the rollups count at least `limit` events up to the newest day they
 * hold, or undefined when they count fewer in all.
 */
export function oldestDayHolding(rollups: readonly DailyCount[], limit: number): DayNumber | undefined {
  const byDay = new Map<number, number>();
  for (const r of rollups) byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.count);
  let seen = 0;
  for (const day of [...byDay.keys()].sort((a, b) => b - a)) {
    seen += byDay.get(day) ?? 0;
    if (seen >= limit) return day;
  }
  return undefined;
}

/**
 * The account's latest raw events, newest first. Events are indexed (day, account_id,
 * occurred_at), so this walks back from the newest stored day in spans of days (one index
 * seek per day), doubling the span until `limit` events are found or the oldest day is passed:
 * a busy account needs one short span, a quiet one a few seeks per day of history.
 */
export async function latestAccountEvents(db: Db, params: LatestAccountEventsParams): Promise<RawEventLine[]> {
  const { accountId, limit } = params;
  if (limit <= 0) return [];
  // Two sub-selects: SQLite answers a lone min() or max() from the index, not the pair.
  const bounds = await db.get<EventDayBounds>(
    sql`SELECT (SELECT min(day) FROM events) AS first, (SELECT max(day) FROM events) AS last`,
  );
  if (!bounds || bounds.first === null || bounds.last === null) return [];
  const found: RawEventLine[] = [];
  const expected = params.expectedFromDay;
  let span = expected !== undefined && expected <= bounds.last ? Math.max(LATEST_EVENTS_FIRST_SPAN, bounds.last - expected + 1) : LATEST_EVENTS_FIRST_SPAN;
  for (let toDay = bounds.last; toDay >= bounds.first && found.length < limit; toDay -= span, span *= 2) {
    const fromDay = Math.max(bounds.first, toDay - span + 1);
    const days = daySeries(db.dialect, { fromDay, toDay }, "descending");
    // Spans are disjoint and walk back in time, so each one's events are older than all found so far.
    found.push(
      ...(await db.all<RawEventLine>(
        sql`${days.with}
            SELECT e.id AS id, e.occurred_at AS "occurredAt", t.key AS "typeKey", t.label AS "typeLabel", e.quantity AS quantity,
                   CASE WHEN t.active = 1 THEN t.weight_hundredths ELSE 0 END AS "weightHundredths"
              FROM ${days.from} ${days.join} events e ON e.day = days.day AND e.account_id = ${accountId}
              JOIN event_types t ON t.id = e.type_id
             ORDER BY e.occurred_at DESC, e.id DESC
             LIMIT ${limit - found.length}`,
      )),
    );
  }
  return found;
}

export interface AccountNameParams {
  accountId: number;
}

/** The account's name (for the page title), or null when there is no such account. */
export async function getAccountName(db: Db, params: AccountNameParams): Promise<string | null> {
  return (await db.value<Column<typeof schema.accounts, "name">>(sql`SELECT name FROM accounts WHERE id = ${params.accountId}`)) ?? null;
}

/**
 * Everything the account page shows about one account, or null when there is no such account:
 * read on one snapshot, so the score, its weights and its history are of one configuration
 * even while another server commits a recompute.
 */
export async function getAccountDetail(db: Db, params: AccountDetailParams): Promise<AccountDetail | null> {
  return readConsistently(db, (snapshot) => readAccountDetail(snapshot, params));
}

async function readAccountDetail(db: Db, params: AccountDetailParams): Promise<AccountDetail | null> {
  const { accountId } = params;
  const account = await db.get<AccountInfo>(
    sql`SELECT id, external_id AS "externalId", name, plan, region, industry, account_manager AS "accountManager", stage,
               signup_date AS "signupDate", trial_end_date AS "trialEndDate", renewal_date AS "renewalDate", arr
          FROM accounts WHERE id = ${accountId}`,
  );
  if (!account) return null;

  const settings = await loadScoringSettings(db);
  const { windowDays, compareDays, thresholds } = settings;
  const stored = await db.get<StoredScoreRow>(
    sql`SELECT as_of_day AS "asOfDay", score_hundredths AS "scoreHundredths", previous_hundredths AS "previousHundredths",
               band, previous_band AS "previousBand", declining, config_version AS "configVersion", first_day AS "firstDay",
               activity, previous_activity AS "previousActivity"
          FROM account_scores WHERE account_id = ${accountId}`,
  );

  const types = await db.all<TypeRow>(sql`SELECT id, key, label, weight_hundredths AS weight, active FROM event_types`);
  const typeById = new Map(types.map((t) => [t.id, t]));
  const weights = new Map(types.map((t) => [t.id, t.active === 1 ? t.weight : 0]));
  const ref = (typeId: number): EventTypeRef => {
    const t = typeById.get(typeId);
    return { typeId, key: t?.key ?? `type_${typeId}`, label: t?.label ?? `Event type ${typeId}`, active: t ? t.active === 1 : false };
  };

  const historyRow = await db.get<HistoryRow>(sql`SELECT start_day AS "startDay", scores FROM score_history WHERE account_id = ${accountId}`);

  // One read of the account's rollups covers the history range and both scoring windows.
  const endDay = stored?.asOfDay ?? (await db.value<Column<typeof schema.accountScores, "asOfDay"> | null>(sql`SELECT max(as_of_day) FROM account_scores`)) ?? null;
  let explanation: ScoreExplanation | null = null;
  const latestLimit = params.latestEvents ?? 25;
  let latestFromDay: DayNumber | undefined;
  let eventMonths: AccountDetail["eventMonths"] = { months: [], columns: [], types: [] };
  if (endDay !== null) {
    const current = scoreWindow(endDay, windowDays);
    const previous = scoreWindow(endDay - compareDays, windowDays);
    const historyFrom = endDay - HISTORY_DAYS + 1;
    const days = daySeries(db.dialect, { fromDay: Math.min(historyFrom, previous.startDay), toDay: endDay });
    const rollups = await db.all<Columns<typeof schema.dailyRollups, "day" | "typeId" | "count">>(
      sql`${days.with}
          SELECT r.day AS day, r.type_id AS "typeId", r.count AS count
            FROM ${days.from} ${days.join} daily_rollups r ON r.day = days.day AND r.account_id = ${accountId}`,
    );

    latestFromDay = oldestDayHolding(rollups, latestLimit);
    const now = contributions(rollups, weights, current);
    const before = contributions(rollups, weights, previous);
    const totalHundredths = now.reduce((s, c) => s + c.pointsHundredths, 0);
    explanation = {
      window: { from: isoDateFromDay(current.startDay), to: isoDateFromDay(current.endDay) },
      previousWindow: { from: isoDateFromDay(previous.startDay), to: isoDateFromDay(previous.endDay) },
      contributions: now.map((c) => ({ ...ref(c.typeId), count: c.count, weightHundredths: c.weightHundredths, pointsHundredths: c.pointsHundredths })),
      totalHundredths,
      previousTotalHundredths: before.reduce((s, c) => s + c.pointsHundredths, 0),
      movement: scoreMovement(now, before).map((m) => ({ ...ref(m.typeId), ...m })),
      matchesStoredScore: stored !== undefined && stored.scoreHundredths === totalHundredths,
    };

    // Before its first day the account did not exist: no empty months for it.
    const monthsFrom = Math.max(historyFrom, Math.min(endDay, stored?.firstDay ?? historyFrom));
    const months = eventCountsByMonth(rollups, monthsFrom, endDay);
    eventMonths = {
      months: months.months,
      columns: monthColumns(monthsFrom, endDay),
      types: [...months.countsByType]
        .map(([typeId, counts]) => ({
          ...ref(typeId),
          weightHundredths: weights.get(typeId) ?? 0,
          counts,
          total: counts.reduce((s, n) => s + n, 0),
        }))
        .sort((a, b) => b.total - a.total || a.typeId - b.typeId),
    };
  }

  let history: AccountDetail["history"] = null;
  if (historyRow) {
    const values =
      stored !== undefined
        ? historyThroughDay(historyRow.scores, historyRow.startDay, stored.asOfDay, stored.scoreHundredths)
        : decodeHistory(historyRow.scores);
    // Before its first day the account did not exist: those zeros are not scores.
    const skip = Math.min(values.length, Math.max(0, (stored?.firstDay ?? historyRow.startDay) - historyRow.startDay));
    history = { startDate: isoDateFromDay(historyRow.startDay + skip), values: Array.from(values.subarray(skip)) };
  }

  // ISO dates compare and order the same in every collation (digits and dashes, one format).
  const markers = history
    ? await db.all<ChangeMarkerInfo>(sql`SELECT id, date, title, description FROM change_markers WHERE date >= ${history.startDate} ORDER BY date, id`)
    : [];

  const latestEvents = await latestAccountEvents(db, { accountId, limit: latestLimit, expectedFromDay: latestFromDay });

  let score: AccountScoreInfo | null = null;
  if (stored) {
    const { band, previousBand, activity, previousActivity } = stored;
    // A new account has no previous score: the stored comparison-window sum is not one.
    const hasPast = previousActivity !== null;
    score = {
      asOfDate: isoDateFromDay(stored.asOfDay),
      scoreHundredths: stored.scoreHundredths,
      band,
      activity,
      previousHundredths: hasPast ? stored.previousHundredths : null,
      previousBand: hasPast ? previousBand : null,
      previousActivity,
      firstDate: stored.firstDay === null ? null : isoDateFromDay(stored.firstDay),
      declining: stored.declining === 1,
      configVersion: stored.configVersion,
    };
  }

  const ruleChanges = history ? (await loadConfigChangeMarkers(db)).filter((c) => c.date >= (history?.startDate ?? "")) : [];

  return {
    account,
    score,
    settings: { windowDays, compareDays, thresholds },
    history,
    markers,
    ruleChanges,
    explanation,
    eventMonths,
    latestEvents,
  };
}
