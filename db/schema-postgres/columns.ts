import { sql } from "drizzle-orm";
import { bigint, customType } from "drizzle-orm/pg-core";

/**
 * PostgreSQL columns stored exactly as their SQLite twins (db/schema/), so that raw SQL reads
 * the same values from both databases (docs/adr/0015-one-data-layer-for-sqlite-and-postgresql.md)
 * and drizzle infers the same row types:
 * - instants are integer milliseconds since the epoch (`bigint`), read by drizzle's query
 *   builder as a Date where the SQLite column uses mode "timestamp_ms";
 * - flags are integers 0/1, read by the builder as booleans where SQLite uses mode "boolean";
 * - JSON documents are text;
 * - blobs are bytea.
 */

/** Default for instants: now, in integer milliseconds. */
export const nowMillisDefault = sql`(floor(extract(epoch from clock_timestamp()) * 1000))::bigint`;

export const millisDate = customType<{ data: Date; driverData: number | string }>({
  dataType: () => "bigint",
  toDriver: (value) => value.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});

export const flag = customType<{ data: boolean; driverData: number }>({
  dataType: () => "integer",
  toDriver: (value) => (value ? 1 : 0),
  fromDriver: (value) => Number(value) === 1,
});

export const jsonText = customType<{ data: unknown; driverData: string }>({
  dataType: () => "text",
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value) as unknown,
});

export const bytes = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});

/** Integer milliseconds read as a number (SQLite: plain integer). */
export const millis = (name: string) => bigint(name, { mode: "number" });
