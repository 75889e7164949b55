import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { OUTCOME_SOURCES, RENEWAL_OUTCOMES } from "@/lib/accounts/renewal-outcomes";
import { accounts } from "./accounts";

/**
 * What happened at each renewal of an account: renewed, expanded, contracted or churned, with
 * the ARR before and after. One row per (account, renewal date): the same outcome sent again
 * (a retry, a re-imported file) is stored once, and a different one for the same renewal
 * corrects it. The validation page (/insights) compares these with the score each account
 * had before its renewal date.
 */
export const renewalOutcomes = sqliteTable(
  "renewal_outcomes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    /** The renewal (contract end) date the outcome belongs to, YYYY-MM-DD. */
    renewalDate: text("renewal_date").notNull(),
    outcome: text("outcome", { enum: RENEWAL_OUTCOMES }).notNull(),
    /** Annual recurring revenue before and after the renewal, whole currency units (0 after a churn). */
    arrBefore: real("arr_before"),
    arrAfter: real("arr_after"),
    source: text("source", { enum: OUTCOME_SOURCES }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    uniqueIndex("renewal_outcomes_account_date_uq").on(t.accountId, t.renewalDate),
    // Outcomes in a period, in date order (the validation page).
    index("renewal_outcomes_date_idx").on(t.renewalDate),
  ],
);

export type RenewalOutcomeRow = typeof renewalOutcomes.$inferSelect;
