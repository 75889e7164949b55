import "server-only";
import type { Database } from "@/db";
import type { DayNumber } from "../days";
import { scoreWindow, type WeightTable } from "../scoring/score";

/** Which accounts a query covers: an id range, optionally narrowed to a list of ids. */
export interface AccountSelection {
  fromAccountId?: number;
  toAccountId?: number;
  /** Only these accounts (default: every account in the range). */
  accountIds?: readonly number[];
}

function selectionParams(selection: AccountSelection) {
  return {
    fromAccountId: selection.fromAccountId ?? Number.MIN_SAFE_INTEGER,
    toAccountId: selection.toAccountId ?? Number.MAX_SAFE_INTEGER,
    ids: selection.accountIds ? JSON.stringify(selection.accountIds) : null,
  };
}

/** Weights as a JSON object for SQL ({ "typeId": hundredths }); absent types weigh 0. */
function weightsJson(weights: WeightTable): string {
  return JSON.stringify(Object.fromEntries(weights));
}

// The weights arrive as JSON and are materialised once per statement, so the same SQL scores
// with the weights in force or with a configuration that is not applied yet.
const WEIGHTS_CTE = `w(type_id, weight) AS MATERIALIZED (SELECT CAST(key AS INTEGER), value FROM json_each(@weights))`;

export interface AccountScorePair {
  accountId: number;
  /** Score over the window ending on `endDay`, in hundredths. */
  current: number;
  /** Score over the window ending `compareDays` earlier, in hundredths. */
  previous: number;
  /** Whether events that count toward the score (non-zero weight) fell in each window (0 or 1). */
  currentEvents: number;
  previousEvents: number;
  /** What tells when the account began (lib/scoring/standing.ts firstKnownDay). */
  signupDate: string | null;
  createdAt: number;
  /** Its first event's day (any event type), or null. */
  firstEventDay: number | null;
}

export interface ScoreAccountsParams extends AccountSelection {
  endDay: DayNumber;
  windowDays: number;
  compareDays: number;
  weights: WeightTable;
}

/**
 * Accounts' scores now and `compareDays` ago, computed by SQLite from the daily rollups
 * (raw events are never read), ordered by account id. Accounts without events score 0.
 * With them, what the account's standing needs: whether scored events fell in each window and
 * when the account began (its first event is one seek of the (account_id, day) index).
 */
export function scoreAllAccounts(db: Database, params: ScoreAccountsParams): AccountScorePair[] {
  const cur = scoreWindow(params.endDay, params.windowDays);
  const prev = scoreWindow(params.endDay - params.compareDays, params.windowDays);
  return db.sqlite
    .prepare(
      `WITH ${WEIGHTS_CTE}
       SELECT a.id AS accountId,
              COALESCE(SUM(CASE WHEN r.day BETWEEN @curStart AND @curEnd THEN r.count * w.weight END), 0) AS current,
              COALESCE(SUM(CASE WHEN r.day BETWEEN @prevStart AND @prevEnd THEN r.count * w.weight END), 0) AS previous,
              COALESCE(MAX(r.day BETWEEN @curStart AND @curEnd AND w.weight <> 0), 0) AS currentEvents,
              COALESCE(MAX(r.day BETWEEN @prevStart AND @prevEnd AND w.weight <> 0), 0) AS previousEvents,
              a.signup_date AS signupDate, a.created_at AS createdAt,
              (SELECT min(f.day) FROM daily_rollups f INDEXED BY daily_rollups_account_day_idx WHERE f.account_id = a.id) AS firstEventDay
         FROM accounts a
         LEFT JOIN daily_rollups r
           ON r.account_id = a.id
          AND (r.day BETWEEN @curStart AND @curEnd OR r.day BETWEEN @prevStart AND @prevEnd)
         LEFT JOIN w ON w.type_id = r.type_id
        WHERE a.id BETWEEN @fromAccountId AND @toAccountId
          AND (@ids IS NULL OR a.id IN (SELECT value FROM json_each(@ids)))
        GROUP BY a.id
        ORDER BY a.id`,
    )
    .all({
      ...selectionParams(params),
      weights: weightsJson(params.weights),
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

export interface DailyPointsParams extends AccountSelection {
  fromDay: DayNumber;
  toDay: DayNumber;
  weights: WeightTable;
}

/**
 * Daily points (Σ weight × count per account per day) in (account, day) order, so a caller can
 * build each account's rolling score history in one pass. Callers ask for ranges of accounts
 * to keep memory bounded; the (account_id, day) index serves each range directly.
 */
export function dailyPointsForAccounts(db: Database, params: DailyPointsParams): DailyPointsRow[] {
  return db.sqlite
    .prepare(
      `WITH ${WEIGHTS_CTE}
       SELECT r.account_id AS accountId, r.day AS day, SUM(r.count * w.weight) AS points
         FROM daily_rollups r INDEXED BY daily_rollups_account_day_idx
         JOIN w ON w.type_id = r.type_id
        WHERE r.account_id BETWEEN @fromAccountId AND @toAccountId
          AND r.day BETWEEN @fromDay AND @toDay
          AND (@ids IS NULL OR r.account_id IN (SELECT value FROM json_each(@ids)))
        GROUP BY r.account_id, r.day
        ORDER BY r.account_id, r.day`,
    )
    .all({
      ...selectionParams(params),
      weights: weightsJson(params.weights),
      fromDay: params.fromDay,
      toDay: params.toDay,
    }) as DailyPointsRow[];
}
