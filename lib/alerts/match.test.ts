import { describe, expect, it } from "vitest";
import { inQuietPeriod, isConfigurationChange, matchesFilters, transitionFires, transitionsToFire, type Transition } from "./match";
import { NO_FILTERS } from "./rules";

const account = { plan: "Pro", region: "Europe", industry: "Software", stage: "customer", manager: "Alice Moreau", tags: ["key", "emea"] };

function t(partial: Partial<Transition>): Transition {
  return {
    id: 1,
    accountId: 1,
    oldBand: "medium",
    newBand: "low",
    oldDeclining: false,
    newDeclining: false,
    oldActivity: "active",
    newActivity: "active",
    isNew: false,
    oldScoreHundredths: 5000,
    newScoreHundredths: 3000,
    oldConfigVersion: 1,
    newConfigVersion: 1,
    at: 0,
    ...partial,
  };
}

describe("transitionFires", () => {
  it("drops a band on any fall to a lower band, never on a rise", () => {
    expect(transitionFires("band_drop", t({ oldBand: "medium", newBand: "low" }))).toBe(true);
    expect(transitionFires("band_drop", t({ oldBand: "power", newBand: "churn_risk" }))).toBe(true);
    expect(transitionFires("band_drop", t({ oldBand: "low", newBand: "medium" }))).toBe(false);
    expect(transitionFires("band_drop", t({ oldBand: "low", newBand: "low", newDeclining: true }))).toBe(false);
  });

  it("enters churn risk and becomes a power user only when crossing into the band", () => {
    expect(transitionFires("churn_risk", t({ oldBand: "low", newBand: "churn_risk" }))).toBe(true);
    expect(transitionFires("churn_risk", t({ oldBand: "churn_risk", newBand: "churn_risk", newDeclining: true }))).toBe(false);
    expect(transitionFires("power_user", t({ oldBand: "high", newBand: "power" }))).toBe(true);
    expect(transitionFires("power_user", t({ oldBand: "power", newBand: "high" }))).toBe(false);
  });

  it("reads a score as lib/scoring/standing.ts does: a new account has no band to drop from", () => {
    // A new account (no previous score) falling medium → low is onboarding noise, not a drop; entering churn risk still fires.
    expect(transitionFires("band_drop", t({ oldBand: "medium", newBand: "low", isNew: true }))).toBe(false);
    expect(transitionFires("band_drop", t({ oldBand: "medium", newBand: "churn_risk", isNew: true }))).toBe(false);
    expect(transitionFires("churn_risk", t({ oldBand: "medium", newBand: "churn_risk", isNew: true }))).toBe(true);
    // The same fall once the account had a previous score is a drop.
    expect(transitionFires("band_drop", t({ oldBand: "medium", newBand: "low", isNew: false }))).toBe(true);
  });

  it("treats not active yet as onboarding: no band to drop from, and silence or negative signals after it enter churn risk", () => {
    const notActiveYet = { oldBand: "churn_risk", oldActivity: "not_active_yet" } as const;
    // Its first window ended without a scored event: silent, churn risk (same stored band).
    const silent = t({ ...notActiveYet, newBand: "churn_risk", newActivity: "silent" });
    expect(transitionFires("churn_risk", silent)).toBe(true);
    expect(transitionFires("band_drop", silent)).toBe(false);
    // Its first events are negative.
    const negative = t({ ...notActiveYet, newBand: "churn_risk", newActivity: "active" });
    expect(transitionFires("churn_risk", negative)).toBe(true);
    expect(transitionFires("band_drop", negative)).toBe(false);
    // Its first events are positive: a rise.
    const started = t({ ...notActiveYet, newBand: "low", newActivity: "active" });
    expect(transitionFires("band_drop", started)).toBe(false);
    expect(transitionFires("churn_risk", started)).toBe(false);
    // A silent account at churn risk that becomes active with negative signals stays in churn risk: nothing new.
    expect(transitionFires("churn_risk", t({ oldBand: "churn_risk", oldActivity: "silent", newBand: "churn_risk", newActivity: "active" }))).toBe(false);
    // A banded account that reads as not active yet again (its first day moved later) did not fall.
    expect(transitionFires("band_drop", t({ oldBand: "low", newBand: "churn_risk", newActivity: "not_active_yet" }))).toBe(false);
    expect(transitionFires("churn_risk", t({ oldBand: "low", newBand: "churn_risk", newActivity: "not_active_yet" }))).toBe(false);
  });

  it("becomes declining when the flag turns on, not while it stays on", () => {
    expect(transitionFires("declining", t({ oldDeclining: false, newDeclining: true }))).toBe(true);
    expect(transitionFires("declining", t({ oldDeclining: true, newDeclining: true }))).toBe(false);
    expect(transitionFires("declining", t({ oldDeclining: true, newDeclining: false }))).toBe(false);
  });

  it("tells a configuration change by its version", () => {
    expect(isConfigurationChange(t({ oldConfigVersion: 3, newConfigVersion: 4 }))).toBe(true);
    expect(isConfigurationChange(t({}))).toBe(false);
  });
});

describe("matchesFilters", () => {
  it("matches everything without filters, and needs every non-empty filter to hold", () => {
    expect(matchesFilters(NO_FILTERS, account)).toBe(true);
    expect(matchesFilters({ ...NO_FILTERS, plans: ["Pro", "Enterprise"], regions: ["Europe"] }, account)).toBe(true);
    expect(matchesFilters({ ...NO_FILTERS, plans: ["Enterprise"] }, account)).toBe(false);
    expect(matchesFilters({ ...NO_FILTERS, managers: ["Bob"] }, account)).toBe(false);
    expect(matchesFilters({ ...NO_FILTERS, stages: ["trial"] }, account)).toBe(false);
  });

  it("passes churned accounts by unless the stage filter names churned: they are no longer customers", () => {
    const churned = { ...account, stage: "churned" };
    expect(matchesFilters(NO_FILTERS, churned)).toBe(false);
    expect(matchesFilters({ ...NO_FILTERS, stages: ["customer"] }, churned)).toBe(false);
    expect(matchesFilters({ ...NO_FILTERS, stages: ["churned"] }, churned)).toBe(true);
  });

  it("matches tags on any one of the account's tags, and never a missing value", () => {
    expect(matchesFilters({ ...NO_FILTERS, tags: ["emea", "apac"] }, account)).toBe(true);
    expect(matchesFilters({ ...NO_FILTERS, tags: ["apac"] }, account)).toBe(false);
    expect(matchesFilters({ ...NO_FILTERS, plans: ["Pro"] }, { ...account, plan: null })).toBe(false);
  });
});

describe("inQuietPeriod", () => {
  const day = 86_400_000;
  it("stays quiet for the given days after the last firing", () => {
    expect(inQuietPeriod(null, 10 * day, 7)).toBe(false);
    expect(inQuietPeriod(5 * day, 10 * day, 7)).toBe(true);
    expect(inQuietPeriod(3 * day, 10 * day, 7)).toBe(false);
    expect(inQuietPeriod(10 * day, 10 * day, 0)).toBe(false);
  });
});

describe("transitionsToFire", () => {
  const drop = (id: number) => t({ id, oldBand: "medium", newBand: "low" });
  const power = (id: number) => t({ id, oldBand: "high", newBand: "power" });

  it("keeps the transitions an enabled rule fires on, in the order given, and handles the others with them", () => {
    const rows = [power(1), drop(2), power(3), t({ id: 4, newConfigVersion: 2 }), drop(5), power(6)];
    expect(transitionsToFire(rows, ["band_drop"], 10)).toEqual({ firing: [drop(2), drop(5)], handled: 6 });
    expect(transitionsToFire(rows, [], 10)).toEqual({ firing: [], handled: 6 });
    expect(transitionsToFire([...rows].reverse(), ["band_drop", "power_user"], 10).firing.map((r) => r.id)).toEqual([6, 5, 3, 2, 1]);
  });

  it("stops before the first transition over the batch: the rest stay for the next transaction", () => {
    const rows = [drop(1), power(2), drop(3), power(4), drop(5)];
    expect(transitionsToFire(rows, ["band_drop"], 2)).toEqual({ firing: [drop(1), drop(3)], handled: 4 });
  });
});
