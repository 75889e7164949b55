import { describe, expect, it } from "vitest";
import { BAND_INFO, DEFAULT_THRESHOLDS } from "../scoring/bands";
import { callListInfo, CALL_LISTS } from "./lists";

describe("callListInfo", () => {
  it("labels the tiers with the configured ranges", () => {
    expect(CALL_LISTS.map((l) => callListInfo(l, DEFAULT_THRESHOLDS).label)).toEqual(["80–100", "40–80", "1–40", "Score drops", "Trials", "Upsell"]);
    expect(callListInfo("medium", { ...DEFAULT_THRESHOLDS, mediumFrom: 30, highFrom: 70 }).label).toBe("30–70");
  });
  it("gives each tier the playbook of its bands, the band that leads the list first", () => {
    expect(callListInfo("medium", DEFAULT_THRESHOLDS).playbook).toEqual([{ band: "medium", text: `Medium: ${BAND_INFO.medium.playbook}` }]);
    expect(callListInfo("low", DEFAULT_THRESHOLDS).playbook.map((p) => p.band)).toEqual(["churn_risk", "low"]);
    expect(callListInfo("high", DEFAULT_THRESHOLDS).playbook.map((p) => p.band)).toEqual(["high", "power"]);
  });
  it("does not repeat a band's name its playbook already starts with", () => {
    expect(callListInfo("upsell", DEFAULT_THRESHOLDS).playbook[0]).toEqual({ band: "power", text: BAND_INFO.power.playbook });
  });
});
