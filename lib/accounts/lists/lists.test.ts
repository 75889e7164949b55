import { describe, expect, it } from "vitest";
import { BAND_INFO, DEFAULT_THRESHOLDS } from "@/lib/scoring/bands";
import { callListInfo, CALL_LISTS, churnRiskBreakdown, listCount, listTabCount } from "./lists";
import type { CallListCounts } from "./types";

describe("callListInfo", () => {
  it("labels the tiers with the configured ranges", () => {
    expect(CALL_LISTS.map((l) => callListInfo(l, DEFAULT_THRESHOLDS, 30).label)).toEqual([
      "80–100",
      "40–80",
      "1–40",
      "Score drops",
      "Trials",
      "Onboarding",
      "Upsell",
    ]);
    expect(callListInfo("medium", { ...DEFAULT_THRESHOLDS, mediumFrom: 30, highFrom: 70 }, 30).label).toBe("30–70");
  });
  it("gives each tier the playbook of its bands, the band that leads the list first", () => {
    expect(callListInfo("medium", DEFAULT_THRESHOLDS, 30).playbook).toEqual([{ band: "medium", text: `Medium: ${BAND_INFO.medium.playbook}` }]);
    expect(callListInfo("low", DEFAULT_THRESHOLDS, 30).playbook.map((p) => p.band)).toEqual(["churn_risk", "low", null]);
    expect(callListInfo("high", DEFAULT_THRESHOLDS, 30).playbook.map((p) => p.band)).toEqual(["high", "power"]);
  });
  it("tells the two causes of churn risk apart on the 1–40 list, and sends new accounts to onboarding", () => {
    const lines = callListInfo("low", DEFAULT_THRESHOLDS, 14).playbook.map((p) => p.text);
    expect(lines[0]).toMatch(/silent accounts \(no event that counts toward the score in 14 days\) and accounts whose negative signals outweigh usage/);
    expect(lines[2]).toMatch(/Onboarding list/);
    expect(callListInfo("onboarding", DEFAULT_THRESHOLDS, 14).playbook[0]?.text).toMatch(/first 14 days/);
  });
  it("does not repeat a band's name its playbook already starts with", () => {
    expect(callListInfo("upsell", DEFAULT_THRESHOLDS, 30).playbook[0]).toEqual({ band: "power", text: BAND_INFO.power.playbook });
  });
});

describe("listTabCount", () => {
  // The demo's figures from issue 13: the 80–100 tab holds 452 (138 high + 314 power users).
  const counts: CallListCounts = {
    high: 452,
    power: 314,
    medium: 502,
    mediumRenewals: 120,
    low: 837,
    churnRisk: 43,
    silent: 30,
    drops: 75,
    trials: 148,
    onboarding: 17,
    upsell: 440,
    total: 1808,
    snoozed: 0,
  };
  it("states what a tier holds besides the band it is named for", () => {
    expect(listTabCount("high", counts)).toBe("138, and 314 power users");
    expect(listTabCount("low", counts)).toBe("794, and 43 churn risk");
    expect(listTabCount("medium", counts)).toBe("502");
    expect(listTabCount("high", { ...counts, high: 1001, power: 1 })).toBe("1,000, and 1 power user");
  });
  it("gives other lists their size", () => {
    expect(listTabCount("onboarding", counts)).toBe("17");
    expect(listCount("low", counts)).toBe(837);
    expect(listCount("onboarding", counts)).toBe(17);
  });
});

describe("churnRiskBreakdown", () => {
  it("tells silent accounts from negative signals", () => {
    const counts: CallListCounts = { high: 0, power: 0, medium: 0, mediumRenewals: 0, low: 300, churnRisk: 252, silent: 209, drops: 0, trials: 0, onboarding: 0, upsell: 0, total: 300, snoozed: 0 };
    expect(churnRiskBreakdown(counts)).toBe("252 churn risk: 209 silent, 43 with negative signals outweighing usage");
    expect(churnRiskBreakdown({ ...counts, churnRisk: 0, silent: 0 })).toBeNull();
  });
});
