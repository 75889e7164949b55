import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Dialect } from "@/db/client";
import type { DayNumber } from "@/lib/days";

/**
 * Event-side tables are keyed day first (daily_rollups: (day, account_id, type_id); events:
 * (day, account_id, occurred_at)), so that ingestion writes only to today's end of every
 * B-tree however long the history grows (docs/adr/0019-day-first-event-storage.md). A read of
 * one account (or a range of accounts) over a span of days is then one seek per day: these
 * recursive CTEs list the days, and the query joins them to the table with CROSS JOIN, which
 * makes SQLite keep the days as the outer loop (PostgreSQL: generate_series).
 *
 * Bind @fromDay and @toDay; an empty span (@fromDay > @toDay) lists no day.
 */

/** `days(day)`: @fromDay, @fromDay + 1, … @toDay. */
export const DAYS_ASCENDING = "days(day) AS (SELECT @fromDay WHERE @fromDay <= @toDay UNION ALL SELECT day + 1 FROM days WHERE day < @toDay)";

/** `days(day)`: @toDay, @toDay − 1, … @fromDay (rows come out in this order). */
export const DAYS_DESCENDING = "days(day) AS (SELECT @toDay WHERE @fromDay <= @toDay UNION ALL SELECT day - 1 FROM days WHERE day > @fromDay)";

/** A span of days, both ends included; empty when fromDay > toDay. */
export interface DaySpan {
  fromDay: DayNumber;
  toDay: DayNumber;
}

/**
 * The days of a span as the outer loop of a per-day read, for SQL written once on the data
 * layer (db/client.ts):
 *
 *     sql`${days.with} SELECT … FROM ${days.from} ${days.join} daily_rollups r ON r.day = days.day AND r.account_id = …`
 *
 * SQLite: the recursive CTE above, `days`, and CROSS JOIN (which keeps the days the outer
 * loop). PostgreSQL: no CTE, `generate_series(…) AS days(day)` and a plain JOIN (PostgreSQL
 * allows no ON after CROSS JOIN; its planner orders joins itself). Rows come out in the
 * given order on SQLite only: a query that needs an order says ORDER BY.
 */
export interface DaySeries {
  with: SQL;
  from: SQL;
  join: SQL;
}

export function daySeries(dialect: Dialect, span: DaySpan, order: "ascending" | "descending" = "ascending"): DaySeries {
  const { fromDay, toDay } = span;
  if (dialect === "sqlite") {
    const days =
      order === "ascending"
        ? sql`days(day) AS (SELECT ${fromDay} WHERE ${fromDay} <= ${toDay} UNION ALL SELECT day + 1 FROM days WHERE day < ${toDay})`
        : sql`days(day) AS (SELECT ${toDay} WHERE ${fromDay} <= ${toDay} UNION ALL SELECT day - 1 FROM days WHERE day > ${fromDay})`;
    return { with: sql`WITH RECURSIVE ${days}`, from: sql`days`, join: sql`CROSS JOIN` };
  }
  const series =
    order === "ascending"
      ? sql`generate_series(CAST(${fromDay} AS integer), CAST(${toDay} AS integer))`
      : sql`generate_series(CAST(${toDay} AS integer), CAST(${fromDay} AS integer), -1)`;
  return { with: sql``, from: sql`${series} AS days(day)`, join: sql`JOIN` };
}
