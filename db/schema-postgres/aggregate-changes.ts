import { bigint, integer, pgTable } from "drizzle-orm/pg-core";

/** PostgreSQL twin of db/schema/aggregate-changes.ts; its triggers are in the custom migration. */
export const aggregateChanges = pgTable("aggregate_changes", {
  seq: bigint("seq", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  accountId: integer("account_id").notNull(),
});
