import { integer, sqliteTable } from "drizzle-orm/sqlite-core";

/**
 * A change log that tells in-process caches of aggregates (segments, trends, before/after)
 * WHICH accounts changed since they were built. Triggers (migration
 * 0004_aggregate_change_triggers) append a row whenever an account's attributes, tags or
 * score history change or a score row is created, from any connection or process; the two
 * writers that update current scores (score sync, recompute) log the accounts they changed
 * themselves, in one statement per write (lib/scoring/server/score-change-log.ts, migration 0009).
 * A cache remembers the last `seq` it has seen: it reloads only the accounts listed after
 * it, or everything when too many changed or the log was pruned past its position. See
 * docs/adr/0004-team-views-in-memory-pre-aggregation.md.
 */
export const aggregateChanges = sqliteTable("aggregate_changes", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  accountId: integer("account_id").notNull(),
});
