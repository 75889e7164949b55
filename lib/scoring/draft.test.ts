import { describe, expect, it } from "vitest";
import type { ScoringConfig } from "./config";
import { configFromDraft, draftFromConfig } from "./draft";

const config: ScoringConfig = {
  settings: {
    windowDays: 30,
    compareDays: 30,
    thresholds: { churnRiskMax: 0, mediumFrom: 40, highFrom: 80, powerAbove: 100 },
    decline: { declinePercent: 20, declinePoints: 10 },
  },
  types: {
    session_started: { weightHundredths: 150, active: true },
    mobile_app_uninstalled: { weightHundredths: -1500, active: false },
  },
};

describe("weights editor draft", () => {
  it("round-trips a configuration through the form text", () => {
    const draft = draftFromConfig(config);
    expect(draft.weights).toEqual({ session_started: "1.5", mobile_app_uninstalled: "-15" });
    expect(configFromDraft(draft)).toEqual({ config, errors: {} });
  });

  it("turns typed decimals into exact hundredths", () => {
    const draft = draftFromConfig(config);
    draft.weights.session_started = " 0.35 ";
    expect(configFromDraft(draft).config?.types.session_started?.weightHundredths).toBe(35);
  });

  it("names each invalid field with the server's message", () => {
    const draft = draftFromConfig(config);
    draft.weights.session_started = "abc";
    draft.weights.mobile_app_uninstalled = "-1000.5";
    draft.settings.windowDays = "0";
    draft.settings.highFrom = "30";
    const { config: result, errors } = configFromDraft(draft);
    expect(result).toBeNull();
    expect(errors).toEqual({
      "types.session_started.weight": "The weight must be a finite number",
      "types.mobile_app_uninstalled.weight": "The weight must be between -1000 and 1000",
      "settings.windowDays": "The window must be at least 1",
      "settings.highFrom": "The high band must start above the start of the medium band",
    });
  });

  it("rejects an empty field instead of reading it as zero", () => {
    const draft = draftFromConfig(config);
    draft.weights.session_started = "";
    expect(configFromDraft(draft).errors["types.session_started.weight"]).toMatch(/finite/);
  });
});
