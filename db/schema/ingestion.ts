import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";
import { eventTypes } from "./events";

/**
 * Write keys authorise the ingestion endpoints (Segment-compatible /v1/* and /api/v1/*).
 * Only a SHA-256 hash of the key is stored, with a short visible prefix so admins can tell
 * keys apart; the key itself is shown once, when it is created. Keys are 238 bits of
 * randomness, so a fast hash is enough: there is nothing to brute-force.
 */
export const writeKeys = sqliteTable(
  "write_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    label: text("label").notNull(),
    /** The first characters of the key, e.g. "ces_3f9aQ1b2", for recognising it in lists and logs. */
    prefix: text("prefix").notNull(),
    /** Hex SHA-256 of the whole key. */
    keyHash: text("key_hash").notNull().unique(),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    createdBy: text("created_by").notNull(),
    /** Updated at most once a minute, inside an ingestion transaction. */
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    revokedBy: text("revoked_by"),
  },
);

export type WriteKey = typeof writeKeys.$inferSelect;

/**
 * Which account a product user belongs to: Segment `identify`/`group` calls (and `alias`)
 * link a userId (or an anonymousId) to an account; `track` calls without a group are then
 * attributed through this link. One account per user id; the newest link wins, by the time
 * of the message that made it (`linked_at`), so a late retry of an old call never moves a
 * user back to a previous account.
 */
export const userLinks = sqliteTable(
  "user_links",
  {
    userId: text("user_id").primaryKey(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    /** The own time of the message that made (or last confirmed) the link, ms since epoch. */
    linkedAt: integer("linked_at").notNull(),
  },
  (t) => [index("user_links_account_idx").on(t.accountId)],
);

export type UserLink = typeof userLinks.$inferSelect;

/**
 * The Segment `identify`, `group` and `alias` messages already applied, by messageId: a repeat
 * (an SDK's retry) is acknowledged as a duplicate and never applied again. Events have their
 * own key (`events` and `pending_events` are unique on day and messageId).
 */
export const appliedMessages = sqliteTable("applied_messages", {
  messageId: text("message_id").primaryKey(),
  receivedAt: integer("received_at").notNull(),
  /**
   * Who sent it (the userId, else the anonymousId), so that erasing an end user also erases
   * their messages (docs/adr/0017-operating-the-product.md). Null for messages applied before
   * it was recorded. Not indexed: an erasure is rare and may scan.
   */
  userId: text("user_id"),
});

/**
 * Events that could not be attributed to an account YET (a `track` from a user no
 * `identify`/`group` has linked). They are kept, never dropped, and moved into `events`
 * (with their rollups) in the transaction that stores the link. Unique on (day, message_id)
 * like `events`, so retries of a waiting event are acknowledged, not stored twice.
 */
export const pendingEvents = sqliteTable(
  "pending_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    typeId: integer("type_id")
      .notNull()
      .references(() => eventTypes.id),
    occurredAt: integer("occurred_at").notNull(),
    day: integer("day").notNull(),
    quantity: integer("quantity").notNull().default(1),
    messageId: text("message_id").notNull(),
    receivedAt: integer("received_at").notNull(),
    userId: text("user_id"),
    anonymousId: text("anonymous_id"),
  },
  (t) => [
    uniqueIndex("pending_events_day_message_uq").on(t.day, t.messageId),
    index("pending_events_user_idx").on(t.userId),
    index("pending_events_anonymous_idx").on(t.anonymousId),
  ],
);

export type PendingEvent = typeof pendingEvents.$inferSelect;

/**
 * How far the materialised scores have taken the raw events into account (see
 * docs/adr/0005-ingestion-writes-and-score-maintenance.md): every event with id ≤ last_event_id and every account
 * with id ≤ last_account_id is reflected in account_scores and score_history. One row (id 1),
 * written by every full recompute; absent until the first one.
 */
export const scoreSync = sqliteTable("score_sync", {
  id: integer("id").primaryKey(),
  lastEventId: integer("last_event_id").notNull(),
  lastAccountId: integer("last_account_id").notNull(),
  syncedAt: integer("synced_at").notNull(),
});
