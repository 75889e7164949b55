import type { InferSelectModel, Table } from "drizzle-orm";

/**
 * What raw SQL reads back for a column whose drizzle type is richer (docs/adr/0015, decision 3):
 * booleans are stored as 0/1 and instants as integer milliseconds, so both read as numbers;
 * JSON columns are text (drizzle infers `unknown`), so they read as the stored string.
 */
export type SqlValue<V> = [unknown] extends [V] ? string : V extends Date ? number : V extends boolean ? number : V;

/**
 * The row type of a raw-SQL read whose selected columns are table columns (docs/adr/0015):
 * `db.all<Columns<typeof schema.alertRules, "kind" | "enabled">>(sql`SELECT kind, enabled FROM …`)`.
 * The SQL selects each column under drizzle's property name (`create_task AS "createTask"`),
 * so renaming or retyping a column in the schema fails the type-check at every read of it.
 * Both schemas infer the same select types (db/schema-drift.types.ts), so typing from the
 * SQLite schema is exact on PostgreSQL too. Computed values (counts, sums, expressions) are
 * declared beside the query by name: `Columns<…> & { openTasks: number }`.
 */
export type Columns<T extends Table, K extends keyof InferSelectModel<T>> = { [P in K]: SqlValue<InferSelectModel<T>[P]> };

/** One column's type as raw SQL reads it, for `db.value<Column<typeof schema.users, "role">>(…)` and renamed fields. */
export type Column<T extends Table, K extends keyof InferSelectModel<T>> = SqlValue<InferSelectModel<T>[K]>;

/** `Row` with the fields `K` known to be non-null (the query filters `… IS NOT NULL` or joins on them). */
export type NotNull<Row, K extends keyof Row> = Omit<Row, K> & { [P in K]: NonNullable<Row[P]> };

/** The columns of a LEFT JOINed table: each may be null when the row has no match. */
export type LeftJoined<Row> = { [K in keyof Row]: Row[K] | null };
