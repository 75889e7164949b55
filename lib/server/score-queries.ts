import "server-only";
import type { Database } from "@/db";
import type { DayNumber } from "../days";
import { scoreWindow } from "../scoring/score";

export interface AccountScorePair {
  accountId: number;
  /** Score over the window ending on `endDay`, in hundredths. */
  current: number;
  /** Score over the window ending `compareDays` earlier, in hundredths. */
  previous: number;
}

export interface ScoreAllAccountsParams {
  endDay: DayNumber;
  windowDays: number;
  compareDays: number;
  /** Only these accounts (default: every account). */
  accountIds?: readonly number[];
}

/**
 * Every account's score now and `compareDays` ago, computed by SQLite from the daily rollups
 * and the active weights (raw events are never read). Accounts without events score 0.
 */
export function scoreAllAccounts(db: Database, params: ScoreAllAccountsParams): AccountScorePair[] {
  const cur = scoreWindow(params.endDay, params.windowDays);
  const prev = scoreWindow(params.endDay - params.compareDays, params.windowDays);
  return db.sqlite
    .prepare(
      `SELECT a.id AS accountId,
              COALESCE(SUM(CASE WHEN r.day BETWEEN @curStart AND @curEnd THEN r.count * t.weight_hundredths END), 0) AS current,
              COALESCE(SUM(CASE WHEN r.day BETWEEN @prevStart AND @prevEnd THEN r.count * t.weight_hundredths END), 0) AS previous
         FROM accounts a
         LEFT JOIN daily_rollups r
           ON r.account_id = a.id
          AND (r.day BETWEEN @curStart AND @curEnd OR r.day BETWEEN @prevStart AND @prevEnd)
         LEFT JOIN event_types t ON t.id = r.type_id AND t.active = 1
        WHERE @ids IS NULL OR a.id IN (SELECT value FROM json_each(@ids))
        GROUP BY a.id
        ORDER BY a.id`,
    )
    .all({
      ids: params.accountIds ? JSON.stringify(params.accountIds) : null,
      curStart: cur.startDay,
      curEnd: cur.endDay,
      prevStart: prev.startDay,
      prevEnd: prev.endDay,
    }) as AccountScorePair[];
}

export interface DailyPointsRow {
  accountId: number;
  day: DayNumber;
  /** Σ weight × count on that day, in hundredths. */
  points: number;
}

export interface DailyPointsParams {
  fromAccountId: number;
  toAccountId: number;
  fromDay: DayNumber;
  toDay: DayNumber;
  /** Within the id range, only these accounts (default: all of them). */
  accountIds?: readonly number[];
}

/**
 * Daily points (Σ weight × count per account per day) for a range of account ids, in
 * (account, day) order, so a caller can build each account's rolling score history in one
 * pass. Ranges keep memory bounded; the (account_id, day) index serves each range directly.
 */
export function dailyPointsForAccounts(db: Database, params: DailyPointsParams): DailyPointsRow[] {
  return db.sqlite
    .prepare(
      `SELECT r.account_id AS accountId, r.day AS day, SUM(r.count * t.weight_hundredths) AS points
         FROM daily_rollups r
         JOIN event_types t ON t.id = r.type_id AND t.active = 1
        WHERE r.account_id BETWEEN @fromAccountId AND @toAccountId
          AND r.day BETWEEN @fromDay AND @toDay
          AND (@ids IS NULL OR r.account_id IN (SELECT value FROM json_each(@ids)))
        GROUP BY r.account_id, r.day
        ORDER BY r.account_id, r.day`,
    )
    .all({
      fromAccountId: params.fromAccountId,
      toAccountId: params.toAccountId,
      fromDay: params.fromDay,
      toDay: params.toDay,
      ids: params.accountIds ? JSON.stringify(params.accountIds) : null,
    }) as DailyPointsRow[];
}
