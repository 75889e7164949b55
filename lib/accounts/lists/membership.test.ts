import { describe, expect, it } from "vitest";
import { dayFromIsoDate } from "@/lib/days";
import { COUNTED, isOnList, LIST_RULES, renewalWindow, renewsWithinWindow, stageLeftOut, type ListCandidate } from "./membership";

const TODAY = dayFromIsoDate("2026-01-01");
const account = (overrides: Partial<ListCandidate> = {}): ListCandidate => ({
  band: "medium",
  activity: "active",
  declining: false,
  stage: "customer",
  renewalDate: null,
  ...overrides,
});
const on = (list: Parameters<typeof isOnList>[0], a: ListCandidate, renewalsOnly = false, stageFilter: ListCandidate["stage"] | null = null) =>
  isOnList(list, a, { today: TODAY, renewalsOnly, stageFilter });

describe("renewal window", () => {
  it("runs from today to today + 90 days, both included", () => {
    expect(renewalWindow(TODAY)).toEqual({ from: "2026-01-01", to: "2026-04-01" });
    expect(renewsWithinWindow("2026-01-01", TODAY)).toBe(true);
    expect(renewsWithinWindow("2026-04-01", TODAY)).toBe(true);
    expect(renewsWithinWindow("2026-04-02", TODAY)).toBe(false);
    expect(renewsWithinWindow("2025-12-31", TODAY)).toBe(false);
    expect(renewsWithinWindow(null, TODAY)).toBe(false);
  });
});

describe("isOnList", () => {
  it("puts each band on its tier, and accounts not active yet on onboarding only", () => {
    expect(on("high", account({ band: "power" }))).toBe(true);
    expect(on("high", account({ band: "high" }))).toBe(true);
    expect(on("medium", account({ band: "medium" }))).toBe(true);
    expect(on("low", account({ band: "churn_risk", activity: "silent" }))).toBe(true);
    expect(on("low", account({ band: "low" }))).toBe(true);
    expect(on("low", account({ band: "churn_risk", activity: "not_active_yet" }))).toBe(false);
    expect(on("onboarding", account({ band: "churn_risk", activity: "not_active_yet" }))).toBe(true);
    expect(on("onboarding", account({ band: "churn_risk", activity: "silent" }))).toBe(false);
  });

  it("narrows 40–80 to the renewals inside the window only when asked", () => {
    const later = account({ renewalDate: "2026-06-01" });
    expect(on("medium", later)).toBe(true);
    expect(on("medium", later, true)).toBe(false);
    expect(on("medium", account({ renewalDate: "2026-03-01" }), true)).toBe(true);
  });

  it("upsell: customers in the high and power bands; trials: trials of any score; drops: declining", () => {
    expect(on("upsell", account({ band: "power" }))).toBe(true);
    expect(on("upsell", account({ band: "power", stage: "trial" }))).toBe(false);
    expect(on("trials", account({ band: "low", stage: "trial" }))).toBe(true);
    expect(on("drops", account({ declining: true }))).toBe(true);
    expect(on("drops", account())).toBe(false);
  });

  it("leaves churned accounts out unless the stage filter asks for them", () => {
    const churned = account({ band: "high", stage: "churned" });
    expect(stageLeftOut(null)).toBe("churned");
    expect(stageLeftOut("churned")).toBeNull();
    expect(on("high", churned)).toBe(false);
    expect(on("high", churned, false, "churned")).toBe(true);
    expect(on("high", account({ band: "high" }), false, "churned")).toBe(false);
  });
});

describe("counted figures", () => {
  it("count a list or a part of one", () => {
    expect(COUNTED.high).toBe(LIST_RULES.high);
    expect(COUNTED.power).toEqual({ ...LIST_RULES.high, bands: ["power"] });
    expect(COUNTED.mediumRenewals).toEqual({ ...LIST_RULES.medium, renewsSoon: true });
    expect(COUNTED.silent).toEqual({ bands: ["churn_risk"], activities: ["silent"] });
  });
});
