import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { cachedStatement } from "@/db/query-cache";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import type { BandThresholds } from "../bands";
import type { DeclineRule } from "../decline";
import type { WeightTable } from "../score";

export interface ScoringSettings {
  windowDays: number;
  compareDays: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
  configVersion: number;
}

type SettingsRow = Columns<
  typeof schema.scoringSettings,
  "windowDays" | "compareDays" | "churnRiskMax" | "mediumFrom" | "highFrom" | "powerAbove" | "declinePercent" | "declinePoints" | "configVersion"
>;

const SETTINGS_SQL = `SELECT window_days AS "windowDays", compare_days AS "compareDays", churn_risk_max AS "churnRiskMax",
  medium_from AS "mediumFrom", high_from AS "highFrom", power_above AS "powerAbove", decline_percent AS "declinePercent",
  decline_points AS "declinePoints", config_version AS "configVersion"
  FROM scoring_settings WHERE id = 1`;
const SETTINGS_QUERY = sql.raw(SETTINGS_SQL);

function toSettings(row: SettingsRow | undefined): ScoringSettings {
  if (!row) throw new Error("scoring_settings row 1 is missing: the database was not migrated");
  return {
    windowDays: row.windowDays,
    compareDays: row.compareDays,
    thresholds: {
      churnRiskMax: row.churnRiskMax,
      mediumFrom: row.mediumFrom,
      highFrom: row.highFrom,
      powerAbove: row.powerAbove,
    },
    decline: { declinePercent: row.declinePercent, declinePoints: row.declinePoints },
    configVersion: row.configVersion,
  };
}

/** The scoring settings in force (window, comparison, band thresholds, decline rule, version). */
export async function loadScoringSettings(db: Db): Promise<ScoringSettings> {
  return toSettings(await db.get<SettingsRow>(SETTINGS_QUERY));
}

type WeightRow = Columns<typeof schema.eventTypes, "id" | "weightHundredths" | "active">;

const WEIGHTS_SQL = `SELECT id, weight_hundredths AS "weightHundredths", active FROM event_types`;
const WEIGHTS_QUERY = sql.raw(WEIGHTS_SQL);

function toWeightTable(rows: WeightRow[]): WeightTable {
  return new Map(rows.map((r) => [r.id, r.active === 1 ? r.weightHundredths : 0]));
}

/** Weights in force by type id; inactive types weigh nothing. */
export async function loadWeightTable(db: Db): Promise<WeightTable> {
  return toWeightTable(await db.all<WeightRow>(WEIGHTS_QUERY));
}

/*
 * The same reads on the legacy synchronous SQLite connection, for the modules not on the data
 * layer yet (score sync, recompute, seed, teams, insights, account detail, call lists), which
 * call them inside better-sqlite3 transactions and per ingested batch (so their statements are
 * compiled once per connection). Same SQL; remove them with the last of those callers.
 */

/** loadScoringSettings on the legacy synchronous connection. */
export function getScoringSettings(db: Database): ScoringSettings {
  return toSettings(cachedStatement<SettingsRow>(db, SETTINGS_SQL).get());
}

/** loadWeightTable on the legacy synchronous connection. */
export function getWeightTable(db: Database): WeightTable {
  return toWeightTable(cachedStatement<WeightRow>(db, WEIGHTS_SQL).all());
}
