import { sql, type SQL } from "drizzle-orm";
import type { Dialect } from "./client";

/**
 * The few places where SQLite and PostgreSQL spell the same thing differently
 * (docs/adr/0015-one-data-layer-for-sqlite-and-postgresql.md). Everything else is written
 * once in SQL both accept.
 */

/** The larger of two values (SQLite's two-argument max(); PostgreSQL's GREATEST). */
export function greatest(dialect: Dialect, a: SQL, b: SQL): SQL {
  return dialect === "sqlite" ? sql`max(${a}, ${b})` : sql`GREATEST(${a}, ${b})`;
}

/** The smaller of two values (SQLite's two-argument min(); PostgreSQL's LEAST). */
export function least(dialect: Dialect, a: SQL, b: SQL): SQL {
  return dialect === "sqlite" ? sql`min(${a}, ${b})` : sql`LEAST(${a}, ${b})`;
}

/** The current time in integer milliseconds since the epoch. */
export function nowMillis(dialect: Dialect): SQL {
  return dialect === "sqlite"
    ? sql`CAST(unixepoch('subsec') * 1000 AS INTEGER)`
    : sql`CAST(floor(extract(epoch from clock_timestamp()) * 1000) AS BIGINT)`;
}

/**
 * An expression for ordering or comparing text without regard to case. SQLite's NOCASE folds
 * ASCII only; lower() in PostgreSQL folds every letter. Names in this product are compared
 * for display order and search, where either is right.
 */
export function caseless(dialect: Dialect, expression: SQL): SQL {
  return dialect === "sqlite" ? sql`${expression} COLLATE NOCASE` : sql`lower(${expression})`;
}

/** `expression` contains `text` ignoring case, with LIKE's wildcards in `text` taken literally. */
export function containsCaseless(dialect: Dialect, expression: SQL, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // SQLite's LIKE ignores ASCII case already; PostgreSQL's ILIKE ignores every letter's case.
  return dialect === "sqlite" ? sql`${expression} LIKE ${pattern} ESCAPE '\\'` : sql`${expression} ILIKE ${pattern} ESCAPE '\\'`;
}

/** `expression IN (values…)` with one bound parameter per value; FALSE for no values. */
export function inList(expression: SQL, values: readonly (string | number)[]): SQL {
  if (values.length === 0) return sql`(1 = 0)`;
  return sql`${expression} IN (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/**
 * A subquery of one text column, `value`, holding each of `values`: one bound JSON parameter
 * however many values there are (SQLite allows at most 32,766 parameters per statement).
 */
export function textValues(dialect: Dialect, values: readonly string[]): SQL {
  const json = JSON.stringify(values);
  return dialect === "sqlite"
    ? sql`SELECT value FROM json_each(${json})`
    : sql`SELECT value FROM json_array_elements_text(CAST(${json} AS json)) AS j(value)`;
}

/**
 * An expression for ordering text by its bytes, as SQLite's default BINARY collation does.
 * PostgreSQL orders by the database's locale unless told otherwise (`en_US` puts "alice"
 * before "Ben"; SQLite puts it after).
 */
export function byteOrder(dialect: Dialect, expression: SQL): SQL {
  return dialect === "sqlite" ? expression : sql`${expression} COLLATE "C"`;
}

export type JsonColumnType = "integer" | "bigint" | "text";

/**
 * A SELECT of `rows` (each an array, one value per column) passed as ONE bound JSON parameter,
 * the columns named and typed as given: a set-based insert of any number of rows with one
 * statement text (SQLite allows at most 32,766 parameters per statement, and a statement per row
 * count would fill the statement cache).
 */
export function jsonRows(dialect: Dialect, columns: readonly { name: string; type: JsonColumnType }[], rows: readonly (readonly (string | number | null)[])[]): SQL {
  const json = JSON.stringify(rows);
  const selected = sql.join(
    columns.map((column, i) => {
      const name = sql.identifier(column.name);
      const element = sql.raw(`value ->> ${i}`);
      if (dialect === "sqlite") return sql`${element} AS ${name}`;
      return sql`CAST(${element} AS ${sql.raw(column.type)}) AS ${name}`;
    }),
    sql`, `,
  );
  return dialect === "sqlite"
    ? sql`SELECT ${selected} FROM json_each(${json})`
    : sql`SELECT ${selected} FROM jsonb_array_elements(CAST(${json} AS jsonb)) AS j(value)`;
}

/**
 * `FROM` items listing the days fromDay … toDay as `days(day)`, for reads of one account over a
 * span of days on the day-first keys (docs/adr/0019-day-first-event-storage.md): written as
 * `${daySeries(…)} CROSS JOIN daily_rollups r WHERE r.day = days.day AND r.account_id = …`, one
 * index seek per day. SQLite keeps the CROSS JOIN's left side as the outer loop; PostgreSQL
 * reads generate_series. An empty span lists no day.
 */
export function daySeries(dialect: Dialect, fromDay: number, toDay: number): SQL {
  return dialect === "sqlite"
    ? sql`(WITH RECURSIVE series(day) AS (SELECT ${fromDay} WHERE ${fromDay} <= ${toDay} UNION ALL SELECT day + 1 FROM series WHERE day < ${toDay}) SELECT day FROM series) AS days`
    : sql`generate_series(CAST(${fromDay} AS integer), CAST(${toDay} AS integer)) AS days(day)`;
}
