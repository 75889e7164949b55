import type { InferSelectModel, Table } from "drizzle-orm";
import type * as pg from "./schema-postgres";
import type * as lite from "./schema";

/**
 * Compile-time half of the schema drift check (the catalogue half is
 * db/schema-drift.postgres.test.ts): both schemas define the same tables, and drizzle infers
 * the same row types (what a select reads) from each, so code typed from one reads the other correctly. A table or
 * column added to one schema only fails `npm run typecheck` here, naming it.
 */
type TablesOf<M> = { [K in keyof M as M[K] extends Table ? K : never]: M[K] };
type LiteTables = TablesOf<typeof lite>;
type PgTables = TablesOf<typeof pg>;

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type OnlyInSqlite = Exclude<keyof LiteTables, keyof PgTables>;
type OnlyInPostgres = Exclude<keyof PgTables, keyof LiteTables>;

type SelectMismatch = {
  [K in keyof LiteTables & keyof PgTables]: LiteTables[K] extends Table
    ? PgTables[K] extends Table
      ? Same<InferSelectModel<LiteTables[K]>, InferSelectModel<PgTables[K]>> extends true
        ? never
        : K
      : K
    : K;
}[keyof LiteTables & keyof PgTables];

/** Each of these is `true` exactly when nothing drifted; otherwise the error names the table. */
export const noTableOnlyInSqlite: [OnlyInSqlite] extends [never] ? true : OnlyInSqlite = true;
export const noTableOnlyInPostgres: [OnlyInPostgres] extends [never] ? true : OnlyInPostgres = true;
export const sameSelectTypes: [SelectMismatch] extends [never] ? true : SelectMismatch = true;
