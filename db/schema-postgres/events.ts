import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { flag, millisDate, nowMillisDefault } from "./columns";

/** PostgreSQL twin of db/schema/events.ts. */
export const eventTypes = pgTable("event_types", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  key: text("key").notNull().unique(),
  label: text("label").notNull(),
  description: text("description").notNull().default(""),
  weightHundredths: integer("weight_hundredths").notNull().default(0),
  active: flag("active").notNull().default(sql`1`),
  isNew: flag("is_new").notNull().default(sql`0`),
  held: flag("held").notNull().default(sql`0`),
  createdAt: millisDate("created_at").notNull().default(nowMillisDefault),
});

export const eventTypeAliases = pgTable("event_type_aliases", {
  nameKey: text("name_key").primaryKey(),
  typeId: integer("type_id")
    .notNull()
    .references(() => eventTypes.id),
  createdAt: millisDate("created_at").notNull().default(nowMillisDefault),
  createdBy: text("created_by").notNull(),
});

export const events = pgTable(
  "events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    typeId: integer("type_id")
      .notNull()
      .references(() => eventTypes.id),
    occurredAt: bigint("occurred_at", { mode: "number" }).notNull(),
    day: integer("day").notNull(),
    quantity: integer("quantity").notNull().default(1),
    messageId: text("message_id").notNull(),
    receivedAt: bigint("received_at", { mode: "number" }).notNull(),
    userId: text("user_id"),
  },
  // Day first, as in SQLite (docs/adr/0019-day-first-event-storage.md): ingestion writes to today's end of each tree.
  (t) => [uniqueIndex("events_day_message_uq").on(t.day, t.messageId), index("events_day_account_time_idx").on(t.day, t.accountId, t.occurredAt)],
);

export const dailyRollups = pgTable(
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
