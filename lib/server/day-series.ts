import "server-only";

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
