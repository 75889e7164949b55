import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { CONTACT_OUTCOMES } from "@/lib/accounts/contact-outcomes";
import { accounts } from "./accounts";

/**
 * Working the call lists: who contacted an account, when and with what outcome; notes the
 * team keeps on an account; and snoozes that take an account off the lists until a date.
 * Authors are stored by id and by name as they were at the time, so the history reads the
 * same after a user is renamed or removed.
 */
export const accountContacts = sqliteTable(
  "account_contacts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    userId: text("user_id").notNull(),
    userName: text("user_name").notNull(),
    outcome: text("outcome", { enum: CONTACT_OUTCOMES }).notNull(),
    /** When the contact happened (ms since the epoch). */
    contactedAt: integer("contacted_at", { mode: "timestamp_ms" }).notNull(),
    /** An optional line about the conversation. */
    note: text("note").notNull().default(""),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  // Serves both an account's contact history and "last contact" per account (max at the end).
  (t) => [index("account_contacts_account_at_idx").on(t.accountId, t.contactedAt)],
);

export type AccountContact = typeof accountContacts.$inferSelect;

export const accountNotes = sqliteTable(
  "account_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    userId: text("user_id").notNull(),
    userName: text("user_name").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("account_notes_account_at_idx").on(t.accountId, t.createdAt)],
);

export type AccountNote = typeof accountNotes.$inferSelect;

/**
 * At most one snooze per account: the lists hide the account while `until` (an ISO date) is
 * after today; on that date it comes back by itself. Removing the row un-snoozes it.
 */
export const accountSnoozes = sqliteTable(
  "account_snoozes",
  {
    accountId: integer("account_id")
      .primaryKey()
      .references(() => accounts.id),
    until: text("until").notNull(),
    userId: text("user_id").notNull(),
    userName: text("user_name").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("account_snoozes_until_idx").on(t.until)],
);

export type AccountSnooze = typeof accountSnoozes.$inferSelect;
