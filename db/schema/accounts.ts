import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const LIFECYCLE_STAGES = ["trial", "customer", "churned"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/**
 * A customer (or free-trial prospect). Dates are ISO calendar dates (YYYY-MM-DD, UTC):
 * they sort and compare correctly as text and read well in SQL.
 */
export const accounts = sqliteTable(
  "accounts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    externalId: text("external_id").notNull().unique(),
    name: text("name").notNull(),
    plan: text("plan"),
    region: text("region"),
    industry: text("industry"),
    accountManager: text("account_manager"),
    stage: text("stage", { enum: LIFECYCLE_STAGES }).notNull().default("customer"),
    signupDate: text("signup_date"),
    trialEndDate: text("trial_end_date"),
    renewalDate: text("renewal_date"),
    /** Annual recurring revenue in whole currency units. */
    arr: real("arr"),
    /**
     * When each field above (and the tags) was last set, by the own time of the message that
     * set it: JSON {"plan": <ms since epoch>, …}. A field that is missing (or NULL for all) was
     * never set by a message. Ingestion applies a field only from a message at least as new
     * (lib/ingestion/field-times.ts), so a late retry of an old call never overwrites newer values.
     */
    fieldTimes: text("field_times"),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    // A manager's book, by renewal date: "my accounts" renewing soon is one range of this index.
    index("accounts_manager_idx").on(t.accountManager, t.renewalDate),
    index("accounts_renewal_idx").on(t.renewalDate),
    index("accounts_name_idx").on(t.name),
    // Call-list filters and their option lists (see lib/accounts/server/lists/).
    index("accounts_stage_idx").on(t.stage),
    index("accounts_plan_idx").on(t.plan),
    index("accounts_region_idx").on(t.region),
    index("accounts_industry_idx").on(t.industry),
  ],
);

export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
