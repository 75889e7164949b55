import { bigint, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { millisDate, nowMillisDefault } from "./columns";
import { eventTypes } from "./events";

/** PostgreSQL twin of db/schema/ingestion.ts. */
export const writeKeys = pgTable("write_keys", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  label: text("label").notNull(),
  prefix: text("prefix").notNull(),
  keyHash: text("key_hash").notNull().unique(),
  createdAt: millisDate("created_at").notNull().default(nowMillisDefault),
  createdBy: text("created_by").notNull(),
  lastUsedAt: millisDate("last_used_at"),
  revokedAt: millisDate("revoked_at"),
  revokedBy: text("revoked_by"),
});

export const userLinks = pgTable(
  "user_links",
  {
    userId: text("user_id").primaryKey(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    linkedAt: bigint("linked_at", { mode: "number" }).notNull(),
  },
  (t) => [index("user_links_account_idx").on(t.accountId)],
);

export const appliedMessages = pgTable("applied_messages", {
  messageId: text("message_id").primaryKey(),
  receivedAt: bigint("received_at", { mode: "number" }).notNull(),
  userId: text("user_id"),
});

export const pendingEvents = pgTable(
  "pending_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    typeId: integer("type_id")
      .notNull()
      .references(() => eventTypes.id),
    occurredAt: bigint("occurred_at", { mode: "number" }).notNull(),
    day: integer("day").notNull(),
    quantity: integer("quantity").notNull().default(1),
    messageId: text("message_id").notNull(),
    receivedAt: bigint("received_at", { mode: "number" }).notNull(),
    userId: text("user_id"),
    anonymousId: text("anonymous_id"),
  },
  (t) => [
    uniqueIndex("pending_events_day_message_uq").on(t.day, t.messageId),
    index("pending_events_user_idx").on(t.userId),
    index("pending_events_anonymous_idx").on(t.anonymousId),
  ],
);

export const scoreSync = pgTable("score_sync", {
  id: integer("id").primaryKey(),
  lastEventId: bigint("last_event_id", { mode: "number" }).notNull(),
  lastAccountId: integer("last_account_id").notNull(),
  syncedAt: bigint("synced_at", { mode: "number" }).notNull(),
});
