import { sql } from "drizzle-orm";
import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { bytes, flag, jsonText, millisDate, nowMillisDefault } from "./columns";
import { BANDS } from "../../lib/scoring/bands";
import { DEFAULT_SETTINGS } from "../../lib/scoring/config";
import { ACTIVITIES } from "../../lib/scoring/standing";

/** PostgreSQL twin of db/schema/scoring.ts. */
export const scoringSettings = pgTable("scoring_settings", {
  id: integer("id").primaryKey(),
  windowDays: integer("window_days").notNull().default(DEFAULT_SETTINGS.windowDays),
  churnRiskMax: integer("churn_risk_max").notNull().default(DEFAULT_SETTINGS.thresholds.churnRiskMax),
  mediumFrom: integer("medium_from").notNull().default(DEFAULT_SETTINGS.thresholds.mediumFrom),
  highFrom: integer("high_from").notNull().default(DEFAULT_SETTINGS.thresholds.highFrom),
  powerAbove: integer("power_above").notNull().default(DEFAULT_SETTINGS.thresholds.powerAbove),
  declinePercent: integer("decline_percent").notNull().default(DEFAULT_SETTINGS.decline.declinePercent),
  declinePoints: integer("decline_points").notNull().default(DEFAULT_SETTINGS.decline.declinePoints),
  compareDays: integer("compare_days").notNull().default(DEFAULT_SETTINGS.compareDays),
  configVersion: integer("config_version").notNull().default(1),
});

export const configVersions = pgTable("config_versions", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  createdAt: millisDate("created_at").notNull().default(nowMillisDefault),
  createdBy: text("created_by").notNull(),
  reason: text("reason").notNull().default(""),
  snapshot: jsonText("snapshot").notNull(),
});

export const accountScores = pgTable(
  "account_scores",
  {
    accountId: integer("account_id")
      .primaryKey()
      .references(() => accounts.id),
    asOfDay: integer("as_of_day").notNull(),
    scoreHundredths: integer("score_hundredths").notNull(),
    previousHundredths: integer("previous_hundredths").notNull(),
    band: text("band", { enum: BANDS }).notNull(),
    previousBand: text("previous_band", { enum: BANDS }).notNull(),
    declining: flag("declining").notNull(),
    configVersion: integer("config_version").notNull(),
    firstDay: integer("first_day"),
    activity: text("activity", { enum: ACTIVITIES }).notNull().default("active"),
    previousActivity: text("previous_activity", { enum: ACTIVITIES }).default("active"),
  },
  (t) => [
    index("account_scores_band_score_idx").on(t.band, t.scoreHundredths),
    index("account_scores_score_idx").on(t.scoreHundredths),
    index("account_scores_as_of_idx").on(t.asOfDay),
    index("account_scores_config_version_idx").on(t.configVersion),
    index("account_scores_drop_idx")
      .on(sql`(${t.previousHundredths} - ${t.scoreHundredths})`)
      .where(sql`${t.declining} = 1`),
    index("account_scores_not_active_idx")
      .on(t.firstDay)
      .where(sql`${t.activity} = 'not_active_yet'`),
    index("account_scores_first_day_unknown_idx")
      .on(t.accountId)
      .where(sql`${t.firstDay} IS NULL`),
  ],
);

export const scoreHistory = pgTable("score_history", {
  accountId: integer("account_id")
    .primaryKey()
    .references(() => accounts.id),
  startDay: integer("start_day").notNull(),
  scores: bytes("scores").notNull(),
  configVersion: integer("config_version").notNull(),
});
