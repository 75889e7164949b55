import { describe, expect, it } from "vitest";
import { diffConfigs, sameScoring, scoringConfigSchema, type ScoringConfig } from "./config";

const base: ScoringConfig = {
  settings: {
    windowDays: 30,
    compareDays: 30,
    thresholds: { churnRiskMax: 0, mediumFrom: 40, highFrom: 80, powerAbove: 100 },
    decline: { declinePercent: 20, declinePoints: 10 },
  },
  types: {
    session_started: { weightHundredths: 150, active: true },
    colleague_invited: { weightHundredths: 1000, active: true },
  },
};

describe("scoringConfigSchema", () => {
  it("accepts the defaults", () => {
    expect(scoringConfigSchema.safeParse(base).success).toBe(true);
  });

  it.each([
    [{ ...base, settings: { ...base.settings, windowDays: 0 } }, "settings.windowDays", /at least 1/],
    [{ ...base, settings: { ...base.settings, windowDays: 366 } }, "settings.windowDays", /at most 365/],
    [{ ...base, settings: { ...base.settings, thresholds: { ...base.settings.thresholds, highFrom: 40 } } }, "settings.thresholds.highFrom", /above the start of the medium/],
    [{ ...base, settings: { ...base.settings, thresholds: { ...base.settings.thresholds, mediumFrom: 0 } } }, "settings.thresholds.mediumFrom", /above the churn-risk/],
    [{ ...base, types: { x: { weightHundredths: 100_001, active: true } } }, "types.x.weightHundredths", /between -1000 and 1000/],
    [{ ...base, types: { x: { weightHundredths: 1.5, active: true } } }, "types.x.weightHundredths", /two decimals/],
  ])("rejects %#, naming the field", (config, path, message) => {
    const result = scoringConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path.join(".")).toBe(path);
    expect(issue?.message).toMatch(message);
  });
});

describe("diffConfigs", () => {
  it("lists setting, weight, active and added-type changes", () => {
    const after: ScoringConfig = {
      settings: { ...base.settings, windowDays: 28, thresholds: { ...base.settings.thresholds, highFrom: 75 } },
      types: {
        session_started: { weightHundredths: 200, active: true },
        colleague_invited: { weightHundredths: 1000, active: false },
        report_created: { weightHundredths: 400, active: true },
      },
    };
    expect(diffConfigs(base, after)).toEqual([
      { kind: "setting", field: "windowDays", from: 30, to: 28 },
      { kind: "setting", field: "highFrom", from: 80, to: 75 },
      { kind: "active", key: "colleague_invited", from: true, to: false },
      { kind: "type_added", key: "report_created", weightHundredths: 400, active: true },
      { kind: "weight", key: "session_started", from: 150, to: 200 },
    ]);
  });

  it("is empty for identical configurations and for the first version", () => {
    expect(diffConfigs(base, base)).toEqual([]);
    expect(diffConfigs(null, base)).toEqual([]);
  });
});

describe("sameScoring", () => {
  it("treats an inactive type like a weight of zero", () => {
    const a = { ...base, types: { ...base.types, x: { weightHundredths: 500, active: false } } };
    const b = { ...base, types: { ...base.types, x: { weightHundredths: 0, active: true } } };
    expect(sameScoring(a, b)).toBe(true);
    expect(sameScoring(base, { ...base, settings: { ...base.settings, compareDays: 14 } })).toBe(false);
  });
});
