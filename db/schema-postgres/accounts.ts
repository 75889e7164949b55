import { doublePrecision, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { LIFECYCLE_STAGES } from "../schema/accounts";
import { millisDate, nowMillisDefault } from "./columns";

/** PostgreSQL twin of db/schema/accounts.ts (see there for what each column means). */
export const accounts = pgTable(
  "accounts",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
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
    arr: doublePrecision("arr"),
    fieldTimes: text("field_times"),
    createdAt: millisDate("created_at").notNull().default(nowMillisDefault),
    updatedAt: millisDate("updated_at").notNull().default(nowMillisDefault),
  },
  (t) => [
    index("accounts_manager_idx").on(t.accountManager, t.renewalDate),
    index("accounts_renewal_idx").on(t.renewalDate),
    index("accounts_name_idx").on(t.name),
    index("accounts_stage_idx").on(t.stage),
    index("accounts_plan_idx").on(t.plan),
    index("accounts_region_idx").on(t.region),
    index("accounts_industry_idx").on(t.industry),
  ],
);
