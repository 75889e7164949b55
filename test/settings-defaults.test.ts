import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "@/lib/scoring/config";
import { createTestDatabase } from "./db";

const { db, cleanup } = createTestDatabase();
afterAll(cleanup);

describe("the scoring settings a new installation starts with", () => {
  it("are the built-in defaults: the migrated row, the schema's column defaults and DEFAULT_SETTINGS agree", () => {
    const row = db.sqlite
      .prepare("SELECT window_days, compare_days, churn_risk_max, medium_from, high_from, power_above, decline_percent, decline_points FROM scoring_settings WHERE id = 1")
      .raw()
      .get();
    const { windowDays, compareDays, thresholds: t, decline: d } = DEFAULT_SETTINGS;
    expect(row).toEqual([windowDays, compareDays, t.churnRiskMax, t.mediumFrom, t.highFrom, t.powerAbove, d.declinePercent, d.declinePoints]);
    // A row written with only its id takes the columns' defaults.
    db.sqlite.prepare("DELETE FROM scoring_settings").run();
    db.sqlite.prepare("INSERT INTO scoring_settings (id) VALUES (1)").run();
    expect(
      db.sqlite
        .prepare("SELECT window_days, compare_days, churn_risk_max, medium_from, high_from, power_above, decline_percent, decline_points FROM scoring_settings WHERE id = 1")
        .raw()
        .get(),
    ).toEqual(row);
  });
});
