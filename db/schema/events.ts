import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

/**
 * The kinds of event that can carry engagement value. Weights are stored as integer
 * hundredths of a point so that every score and every contribution is exact integer
 * arithmetic: the contributions of an account always add up to its score, to the cent.
 */
export const eventTypes = sqliteTable("event_types", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  key: text("key").notNull().unique(),
  label: text("label").notNull(),
  description: text("description").notNull().default(""),
  weightHundredths: integer("weight_hundredths").notNull().default(0),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  /** Registered automatically by ingestion and not yet weighed by an admin. */
  isNew: integer("is_new", { mode: "boolean" }).notNull().default(false),
  /**
   * Registered by ingestion under a name that nearly matches existing types (a plural, a
   * typo, a label two types share: lib/ingestion/event-names.ts): its events wait here, at
   * weight 0, until an admin maps it to an existing type or keeps it as a type of its own.
   */
  held: integer("held", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
});

export type EventType = typeof eventTypes.$inferSelect;
export type NewEventType = typeof eventTypes.$inferInsert;

/**
 * Event names an admin mapped to an existing type (a held type, merged into it): events sent
 * under the name (as its key, eventTypeKey) count for that type from then on.
 */
export const eventTypeAliases = sqliteTable("event_type_aliases", {
  nameKey: text("name_key").primaryKey(),
  typeId: integer("type_id")
    .notNull()
    .references(() => eventTypes.id),
  createdAt: integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
  createdBy: text("created_by").notNull(),
});

/**
 * Raw events as received. `day` is the UTC day number of `occurredAt`
 * (milliseconds since the epoch / 86,400,000, floored).
 *
 * Every key leads with the day, so live traffic only ever writes to today's end of each
 * B-tree and ingestion does not slow down as history grows (docs/adr/0019-day-first-event-storage.md):
 * - deduplication on (day, message_id): a retried message carries the same id and the same
 *   timestamp, so it lands on the same day (docs/adr/0002-ingestion-keys.md);
 * - an account's events by (day, account_id, occurred_at): its latest events are a seek per
 *   day, walking back from the newest day.
 */
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    typeId: integer("type_id")
      .notNull()
      .references(() => eventTypes.id),
    occurredAt: integer("occurred_at").notNull(),
    day: integer("day").notNull(),
    quantity: integer("quantity").notNull().default(1),
    messageId: text("message_id").notNull(),
    receivedAt: integer("received_at").notNull(),
    /**
     * The end user who did it (Segment's userId, else anonymousId), so that everything stored
     * about one person can be erased (lib/operations/server/erasure.ts). Not indexed: an erasure scans
     * the table in slices, which is rare; an index would cost every insert.
     */
    userId: text("user_id"),
  },
  (t) => [
    uniqueIndex("events_day_message_uq").on(t.day, t.messageId),
    index("events_day_account_time_idx").on(t.day, t.accountId, t.occurredAt),
  ],
);

export type Event = typeof events.$inferSelect;
export type NewEvent = typeof events.$inferInsert;

/**
 * Daily rollups: account × event type × UTC day → summed quantity. Every score is a linear
 * function of these counts, so every aggregate is derived from here, never from raw events.
 * Kept in step with `events` inside the same transaction.
 *
 * Keyed day first and nothing else: an increment touches today's rows only. One account's
 * days are read with a seek per day (lib/scoring/server/day-series.ts); an account-ordered index
 * (with `count` in it, every increment a delete plus an insert on a random page of a tree
 * as big as the history) cost ingestion more than half its speed (docs/adr/0019-day-first-event-storage.md).
 */
export const dailyRollups = sqliteTable(
  "daily_rollups",
  {
    day: integer("day").notNull(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    typeId: integer("type_id")
      .notNull()
      .references(() => eventTypes.id),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.accountId, t.typeId] })],
);

export type DailyRollup = typeof dailyRollups.$inferSelect;
