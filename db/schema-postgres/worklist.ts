import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { CONTACT_OUTCOMES } from "@/lib/accounts/contact-outcomes";
import { accounts } from "./accounts";
import { millisDate, nowMillisDefault } from "./columns";

/** PostgreSQL twin of db/schema/worklist.ts. */
export const accountContacts = pgTable(
  "account_contacts",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    userId: text("user_id").notNull(),
    userName: text("user_name").notNull(),
    outcome: text("outcome", { enum: CONTACT_OUTCOMES }).notNull(),
    contactedAt: millisDate("contacted_at").notNull(),
    note: text("note").notNull().default(""),
    createdAt: millisDate("created_at").notNull().default(nowMillisDefault),
  },
  (t) => [index("account_contacts_account_at_idx").on(t.accountId, t.contactedAt)],
);

export const accountNotes = pgTable(
  "account_notes",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    userId: text("user_id").notNull(),
    userName: text("user_name").notNull(),
    body: text("body").notNull(),
    createdAt: millisDate("created_at").notNull().default(nowMillisDefault),
  },
  (t) => [index("account_notes_account_at_idx").on(t.accountId, t.createdAt)],
);

export const accountSnoozes = pgTable(
  "account_snoozes",
  {
    accountId: integer("account_id")
      .primaryKey()
      .references(() => accounts.id),
    until: text("until").notNull(),
    userId: text("user_id").notNull(),
    userName: text("user_name").notNull(),
    createdAt: millisDate("created_at").notNull().default(nowMillisDefault),
  },
  (t) => [index("account_snoozes_until_idx").on(t.until)],
);
