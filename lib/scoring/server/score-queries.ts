import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import type { Db, Dialect } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { jsonRows } from "@/db/dialect";
import type { DayNumber } from "@/lib/days";
import type { WeightTable } from "../score";
import { cachedStatement } from "@/db/query-cache";

/** Which accounts a query covers: an id range, optionally narrowed to a list of ids. */
export interface AccountSelection {
  fromAccountId?: number;
  toAccountId?: number;
  /** Only these accounts (default: every account in the range). */
  accountIds?: readonly number[];
}

/** Weights as a JSON object for SQL ({ "typeId": hundredths }); absent types weigh 0. */
function weightsJson(weights: WeightTable): string {
  return JSON.stringify(Object.fromEntries(weights));
}

// The weights arrive as JSON and are materialised once per statement, so the same SQL scores
// with the weights in force or with a configuration that is not applied yet.
const WEIGHTS_CTE = `w(type_id, weight) AS MATERIALIZED (SELECT CAST(key AS INTEGER), value FROM json_each(@weights))`;

/**
 * One day's points per account. The rollups are keyed (day, account_id, type_id), so with the
 * day fixed the rows come in account order and SQLite groups them as it reads them: one seek
 * per day and a range (or one seek per listed account), never a sort.
 */
const DAY_POINTS_IN_RANGE = `WITH ${WEIGHTS_CTE}
  SELECT r.account_id, SUM(r.count * coalesce(w.weight, 0)), MAX(coalesce(w.weight, 0) <> 0)
    FROM daily_rollups r LEFT JOIN w ON w.type_id = r.type_id
   WHERE r.day = @day AND r.account_id BETWEEN @fromAccountId AND @toAccountId
   GROUP BY r.account_id`;

const DAY_POINTS_OF_LISTED = `WITH ${WEIGHTS_CTE}
  SELECT r.account_id, SUM(r.count * coalesce(w.weight, 0)), MAX(coalesce(w.weight, 0) <> 0)
    FROM daily_rollups r LEFT JOIN w ON w.type_id = r.type_id
   WHERE r.day = @day AND r.account_id IN (SELECT value FROM json_each(@ids))
   GROUP BY r.account_id`;

export interface DailyPointsParams extends AccountSelection {
  fromDay: DayNumber;
  toDay: DayNumber;
  weights: WeightTable;
}

/** One account's day, as the raw statement returns it: Σ count × weight and whether a weighted type was counted (0/1). */
type DayPointsTuple = [accountId: Column<typeof schema.dailyRollups, "accountId">, points: number, scored: number];

/**
 * Calls `add(accountId, day, points, scored)` for every selected account on every day from
 * `fromDay` to `toDay` with events of any type, in ascending day order (accounts in id order
 * within a day): `points` is Σ weight × count (hundredths), `scored` whether any of the day's
 * events has a non-zero weight (an account whose events all weigh 0 has days with 0 points
 * and `scored` false: its events still tell when it began). A listed selection that is sparse
 * within its id range is read one seek per account and day rather than by scanning the range.
 */
export function forEachDailyPoints(
  db: Database,
  params: DailyPointsParams,
  add: (accountId: number, day: DayNumber, points: number, scored: boolean) => void,
): void {
  const fromAccountId = params.fromAccountId ?? Number.MIN_SAFE_INTEGER;
  const toAccountId = params.toAccountId ?? Number.MAX_SAFE_INTEGER;
  const ids = params.accountIds;
  if (ids?.length === 0) return;
  const listed = ids !== undefined && toAccountId - fromAccountId + 1 > ids.length * 4;
  const statement = cachedStatement<DayPointsTuple>(db, listed ? DAY_POINTS_OF_LISTED : DAY_POINTS_IN_RANGE).raw();
  const bind = listed ? { ids: JSON.stringify(ids), weights: weightsJson(params.weights) } : { fromAccountId, toAccountId, weights: weightsJson(params.weights) };
  const only = ids !== undefined && !listed ? new Set(ids) : null;
  for (let day = params.fromDay; day <= params.toDay; day++) {
    for (const [accountId, points, scored] of statement.iterate({ ...bind, day })) {
      if (only && !only.has(accountId)) continue;
      add(accountId, day, points, scored === 1);
    }
  }
}

export interface FirstEventDaysParams extends AccountSelection {
  /** Only events on days before this one. */
  beforeDay: DayNumber;
}

/**
 * Each selected account's first day with events (of any type) before `beforeDay`, for the
 * accounts that have any. One pass over the rollups of the days before `beforeDay` (none at
 * all when the history is no longer than what the caller reads day by day), grouped by
 * account: the rollups have no account-ordered index (docs/adr/0019-day-first-event-storage.md).
 */
export function firstEventDaysBefore(db: Database, params: FirstEventDaysParams): Map<number, DayNumber> {
  const rows = cachedStatement<[accountId: Column<typeof schema.dailyRollups, "accountId">, firstDay: Column<typeof schema.dailyRollups, "day">]>(
    db,
    `SELECT account_id, min(day) FROM daily_rollups
      WHERE day < @beforeDay AND account_id BETWEEN @fromAccountId AND @toAccountId
        AND (@ids IS NULL OR account_id IN (SELECT value FROM json_each(@ids)))
      GROUP BY account_id`,
  )
    .raw()
    .all({
      beforeDay: params.beforeDay,
      fromAccountId: params.fromAccountId ?? Number.MIN_SAFE_INTEGER,
      toAccountId: params.toAccountId ?? Number.MAX_SAFE_INTEGER,
      ids: params.accountIds ? JSON.stringify(params.accountIds) : null,
    });
  return new Map(rows);
}

/*
 * The same reads on the data layer (db/client.ts), for the PostgreSQL recompute
 * (recompute-on-db.ts); SQLite keeps the statements above, read day by day from its
 * day-first rollups (the fast path, ADR 0005).
 */

/** Weights as rows of a CTE `w(type_id, weight)`: one bound JSON parameter. */
function weightsCte(dialect: Dialect, weights: WeightTable): SQL {
  return jsonRows(
    dialect,
    [
      { name: "type_id", type: "integer" },
      { name: "weight", type: "bigint" },
    ],
    [...weights],
  );
}

/** `account_id` within the selection. */
function selectionCondition(dialect: Dialect, column: SQL, selection: AccountSelection): SQL {
  const range = sql`${column} BETWEEN ${selection.fromAccountId ?? Number.MIN_SAFE_INTEGER} AND ${selection.toAccountId ?? Number.MAX_SAFE_INTEGER}`;
  if (!selection.accountIds) return range;
  return sql`${range} AND ${column} IN (${idRows(dialect, selection.accountIds)})`;
}

/** A subquery of one integer column, `id`, holding each of `ids` (one bound parameter). */
export function idRows(dialect: Dialect, ids: readonly number[]): SQL {
  return jsonRows(
    dialect,
    [{ name: "id", type: "integer" }],
    ids.map((id) => [id]),
  );
}

/** An account's day: Σ count × weight (`points`) and whether any weighted type was counted (`scored`: 0/1). */
type DailyPointsRow = Columns<typeof schema.dailyRollups, "accountId" | "day"> & { points: number; scored: number };

/** An account's first day with events (`day`: the least day of its rollups). */
type FirstDayRow = Columns<typeof schema.dailyRollups, "accountId" | "day">;

/** forEachDailyPoints on the data layer: one statement for the whole selection and span, in (day, account) order. */
export async function loadDailyPoints(db: Db, params: DailyPointsParams, add: (accountId: number, day: DayNumber, points: number, scored: boolean) => void): Promise<void> {
  if (params.accountIds?.length === 0) return;
  const rows = await db.all<DailyPointsRow>(
    sql`WITH w(type_id, weight) AS (${weightsCte(db.dialect, params.weights)})
      SELECT r.account_id AS "accountId", r.day AS day, SUM(r.count * coalesce(w.weight, 0)) AS points,
        MAX(CASE WHEN coalesce(w.weight, 0) <> 0 THEN 1 ELSE 0 END) AS scored
      FROM daily_rollups r LEFT JOIN w ON w.type_id = r.type_id
      WHERE ${dayRange(db.dialect, sql`r.day`, params.fromDay, params.toDay)} AND ${selectionCondition(db.dialect, sql`r.account_id`, params)}
      GROUP BY r.day, r.account_id ORDER BY r.day, r.account_id`,
  );
  for (const r of rows) add(r.accountId, r.day, r.points, r.scored === 1);
}

/**
 * `column` between two days. On PostgreSQL as the list of the days: the rollups' key leads with
 * the day (ADR 0019) and PostgreSQL 15 cannot skip along it, so a range of days with a range of
 * accounts (a recompute chunk) read the whole table; `day = ANY (days)` descends the key once
 * per day to that day's accounts, as SQLite's day-by-day reads do (5.6 s to 0.8 s per chunk of
 * 1,000 accounts at 17 M rollups, measured with EXPLAIN ANALYZE).
 */
function dayRange(dialect: Dialect, column: SQL, fromDay: DayNumber, toDay: DayNumber): SQL {
  return dialect === "postgres"
    ? sql`${column} = ANY (CAST(ARRAY(SELECT generate_series(CAST(${fromDay} AS integer), CAST(${toDay} AS integer))) AS integer[]))`
    : sql`${column} BETWEEN ${fromDay} AND ${toDay}`;
}

/** firstEventDaysBefore on the data layer. */
export async function loadFirstEventDaysBefore(db: Db, params: FirstEventDaysParams): Promise<Map<number, DayNumber>> {
  const rows = await db.all<FirstDayRow>(
    sql`SELECT account_id AS "accountId", min(day) AS day FROM daily_rollups
      WHERE day < ${params.beforeDay} AND ${selectionCondition(db.dialect, sql`account_id`, params)}
      GROUP BY account_id`,
  );
  return new Map(rows.map((r) => [r.accountId, r.day]));
}
