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
 * A text that changes whenever any transaction has committed a write since it was last read,
 * from this connection or any other (and stays the same while nothing is written), so that
 * results derived from the data can be kept until it changes:
 * - SQLite: PRAGMA data_version moves when another connection commits; total_changes()
 *   counts this connection's own writes.
 * - PostgreSQL: the current snapshot (xmin:xmax:in-progress ids). A writing transaction takes
 *   a transaction id, which moves xmax when it starts and leaves the in-progress list when it
 *   commits or aborts; two equal snapshots see exactly the same committed transactions. This
 *   holds across every server on the database.
 */
export function dataVersion(dialect: Dialect): SQL {
  return dialect === "sqlite"
    ? sql`SELECT (SELECT data_version FROM pragma_data_version) || ':' || total_changes()`
    : sql`SELECT CAST(pg_current_snapshot() AS text)`;
}

/**
 * SQLite's `INDEXED BY index` after a table name, where its planner needs telling (a partial
 * index it would not pick by itself); nothing on PostgreSQL, whose planner picks partial
 * indexes by their predicate.
 */
export function indexedBy(dialect: Dialect, index: string): SQL {
  if (!/^[a-z_][a-z0-9_]*$/.test(index)) throw new Error(`not an index name: ${index}`);
  return dialect === "sqlite" ? sql.raw(`INDEXED BY ${index}`) : sql``;
}

/** The UTC day number (days since 1970-01-01) of an ISO date ("2026-03-31") held in `expression`. */
export function dayOfIsoDate(dialect: Dialect, expression: SQL): SQL {
  // 2440587.5 is the Julian day of 1970-01-01: julianday(date) − 2440587.5 is the UTC day number.
  return dialect === "sqlite" ? sql`CAST(julianday(${expression}) - 2440587.5 AS INTEGER)` : sql`(CAST(${expression} AS date) - DATE '1970-01-01')`;
}

/** `length` bytes of a blob (bytea) from its byte `start`, counted from 1. */
export function blobSlice(dialect: Dialect, blob: SQL, start: SQL, length: number): SQL {
  return dialect === "sqlite" ? sql`substr(${blob}, ${start}, ${length})` : sql`substring(${blob} FROM ${start} FOR ${length})`;
}
