import { doublePrecision, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { OUTCOME_SOURCES, RENEWAL_OUTCOMES } from "@/lib/accounts/renewal-outcomes";
import { accounts } from "./accounts";
import { millisDate, nowMillisDefault } from "./columns";

/** PostgreSQL twin of db/schema/outcomes.ts. */
export const renewalOutcomes = pgTable(
  "renewal_outcomes",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    renewalDate: text("renewal_date").notNull(),
    outcome: text("outcome", { enum: RENEWAL_OUTCOMES }).notNull(),
    arrBefore: doublePrecision("arr_before"),
    arrAfter: doublePrecision("arr_after"),
    source: text("source", { enum: OUTCOME_SOURCES }).notNull(),
    createdAt: millisDate("created_at").notNull().default(nowMillisDefault),
    updatedAt: millisDate("updated_at").notNull().default(nowMillisDefault),
  },
  (t) => [uniqueIndex("renewal_outcomes_account_date_uq").on(t.accountId, t.renewalDate), index("renewal_outcomes_date_idx").on(t.renewalDate)],
);
