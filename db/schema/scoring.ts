import { sql } from "drizzle-orm";
import { blob, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";
import { BANDS } from "../../lib/scoring/bands";
import { DEFAULT_SETTINGS } from "../../lib/scoring/config";
import { ACTIVITIES } from "../../lib/scoring/standing";

/**
 * The scoring settings in force: one row (id = 1). Thresholds are in points. Every change is
 * also recorded as a version in `config_versions`.
 */
export const scoringSettings = sqliteTable("scoring_settings", {
  id: integer("id").primaryKey(),
  windowDays: integer("window_days").notNull().default(DEFAULT_SETTINGS.windowDays),
  /** A score at or below this is churn risk. */
  churnRiskMax: integer("churn_risk_max").notNull().default(DEFAULT_SETTINGS.thresholds.churnRiskMax),
  /** First score of the medium band (a boundary value belongs to the higher band). */
  mediumFrom: integer("medium_from").notNull().default(DEFAULT_SETTINGS.thresholds.mediumFrom),
  /** First score of the high band. */
  highFrom: integer("high_from").notNull().default(DEFAULT_SETTINGS.thresholds.highFrom),
  /** A score above this is a power user. */
  powerAbove: integer("power_above").notNull().default(DEFAULT_SETTINGS.thresholds.powerAbove),
  /** Declining: fell by at least this percentage … */
  declinePercent: integer("decline_percent").notNull().default(DEFAULT_SETTINGS.decline.declinePercent),
  /** … and by at least this many points, against `compareDays` ago. */
  declinePoints: integer("decline_points").notNull().default(DEFAULT_SETTINGS.decline.declinePoints),
  compareDays: integer("compare_days").notNull().default(DEFAULT_SETTINGS.compareDays),
  /**
   * The config_versions id in force; 0 while no version has been saved (the built-in defaults).
   * The single row is created by migration 0000 (with this default) and set to 0 by 0010.
   */
  configVersion: integer("config_version").notNull().default(1),
});

export type ScoringSettingsRow = typeof scoringSettings.$inferSelect;

/** Every saved scoring configuration (weights + settings), for history, diff and restore. */
export const configVersions = sqliteTable("config_versions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  createdAt: integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
  createdBy: text("created_by").notNull(),
  reason: text("reason").notNull().default(""),
  /** JSON: { settings, weights: { [eventTypeKey]: hundredths } }. */
  snapshot: text("snapshot", { mode: "json" }).notNull(),
});

export type ConfigVersion = typeof configVersions.$inferSelect;

/**
 * Materialised current scores, kept current by the scoring engine (see lib/scoring/server/recompute.ts).
 * Views read these; they never aggregate events per request. Points are integer hundredths.
 */
export const accountScores = sqliteTable(
  "account_scores",
  {
    accountId: integer("account_id")
      .primaryKey()
      .references(() => accounts.id),
    asOfDay: integer("as_of_day").notNull(),
    scoreHundredths: integer("score_hundredths").notNull(),
    /** Score at the end of the window `compareDays` earlier. */
    previousHundredths: integer("previous_hundredths").notNull(),
    band: text("band", { enum: BANDS }).notNull(),
    previousBand: text("previous_band", { enum: BANDS }).notNull(),
    declining: integer("declining", { mode: "boolean" }).notNull(),
    configVersion: integer("config_version").notNull(),
    /**
     * The first day the account is known to exist (lib/scoring/standing.ts: signup date, first
     * recorded, first event). NULL until computed, or after its signup date changed: the score
     * sync then computes the account again.
     */
    firstDay: integer("first_day"),
    /** Events that count toward the score in the window: active | silent | not_active_yet. */
    activity: text("activity", { enum: ACTIVITIES }).notNull().default("active"),
    /**
     * The same on the comparison day; NULL when the account did not exist then: it is new and
     * has no previous score (previous_hundredths and previous_band are then not shown).
     */
    previousActivity: text("previous_activity", { enum: ACTIVITIES }).default("active"),
  },
  (t) => [
    index("account_scores_band_score_idx").on(t.band, t.scoreHundredths),
    index("account_scores_score_idx").on(t.scoreHundredths),
    // The scores' day and configuration versions (max / min), read by every score sync (one per
    // lone ingestion request) and by the overview, alerts and team views: a seek, not a scan of
    // every account (issue 19).
    index("account_scores_as_of_idx").on(t.asOfDay),
    index("account_scores_config_version_idx").on(t.configVersion),
    // The "Score drops" list: declining accounts, the largest fall first, read straight off
    // this partial index (the ORDER BY of lib/accounts/server/lists/order.ts uses the same expression).
    index("account_scores_drop_idx")
      .on(sql`(${t.previousHundredths} - ${t.scoreHundredths})`)
      .where(sql`${t.declining} = 1`),
    // The onboarding list: accounts not active yet, the longest-waiting first.
    index("account_scores_not_active_idx")
      .on(t.firstDay)
      .where(sql`${t.activity} = 'not_active_yet'`),
    // Accounts whose first day must be computed again (see firstDay): a look-up, not a scan.
    index("account_scores_first_day_unknown_idx")
      .on(t.accountId)
      .where(sql`${t.firstDay} IS NULL`),
  ],
);

export type AccountScore = typeof accountScores.$inferSelect;

/**
 * Daily score history per account: a little-endian Float64Array of integer hundredths, one
 * value per UTC day from `startDay` onwards. One row per account keeps a full recompute to
 * one write per account instead of one per account-day.
 */
export const scoreHistory = sqliteTable("score_history", {
  accountId: integer("account_id")
    .primaryKey()
    .references(() => accounts.id),
  startDay: integer("start_day").notNull(),
  scores: blob("scores", { mode: "buffer" }).notNull(),
  configVersion: integer("config_version").notNull(),
});
