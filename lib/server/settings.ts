import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db";
import { eventTypes, scoringSettings } from "@/db/schema";
import type { BandThresholds } from "../scoring/bands";
import type { DeclineRule } from "../scoring/decline";
import type { WeightTable } from "../scoring/score";

export interface ScoringSettings {
  windowDays: number;
  compareDays: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
  configVersion: number;
}

export function getScoringSettings(db: Database): ScoringSettings {
  const row = db.orm.select().from(scoringSettings).where(eq(scoringSettings.id, 1)).get();
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

/** Weights in force by type id; inactive types weigh nothing. */
export function getWeightTable(db: Database): WeightTable {
  const rows = db.orm
    .select({ id: eventTypes.id, weight: eventTypes.weightHundredths, active: eventTypes.active })
    .from(eventTypes)
    .all();
  return new Map(rows.map((r) => [r.id, r.active ? r.weight : 0]));
}
