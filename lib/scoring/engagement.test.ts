import { describe, expect, it } from "vitest";
import { engagementClass, engagementIndex, isRising } from "./engagement";

describe("isRising (mirror of the declining rule: ≥ 10 points and ≥ 20 %)", () => {
  it("needs both the points and the percentage", () => {
    expect(isRising(3000, 2000)).toBe(true); // +10 points, +50 %
    expect(isRising(2999, 2000)).toBe(false); // +9.99 points
    expect(isRising(11000, 10000)).toBe(false); // +10 points but only +10 %
    expect(isRising(12000, 10000)).toBe(true); // +20 points, exactly +20 %
    expect(isRising(2000, 3000)).toBe(false); // falling
  });
  it("uses only the points rule from a score at or below zero", () => {
    expect(isRising(1000, 0)).toBe(true);
    expect(isRising(500, -600)).toBe(true); // +11 points
    expect(isRising(300, -500)).toBe(false); // +8 points
  });
  it("follows a custom rule", () => {
    expect(isRising(2500, 2000, { declinePoints: 5, declinePercent: 25 })).toBe(true);
    expect(isRising(2400, 2000, { declinePoints: 5, declinePercent: 25 })).toBe(false);
  });
});

describe("engagementClass", () => {
  it("classes each band, with rising low and churn-risk accounts as responsive", () => {
    expect(engagementClass("power", 15000, 15000)).toBe("engaged");
    expect(engagementClass("high", 8000, 12000)).toBe("engaged"); // falling but still engaged
    expect(engagementClass("medium", 5000, 9000)).toBe("responsive");
    expect(engagementClass("low", 3500, 1500)).toBe("responsive"); // +20 points, +133 %
    expect(engagementClass("low", 3500, 3000)).toBe("not_engaged");
    expect(engagementClass("churn_risk", 0, -1200)).toBe("responsive"); // +12 points from below zero
    expect(engagementClass("churn_risk", -100, 0)).toBe("not_engaged");
    // A new account has no earlier score: not rising, whatever it scores now below medium.
    expect(engagementClass("low", 3500, null)).toBe("not_engaged");
  });
});

describe("engagementIndex", () => {
  it("turns counts into shares that add up to one (by hand: 2/10, 3/10, 5/10)", () => {
    const index = engagementIndex({ engaged: 2, responsive: 3, not_engaged: 5 });
    expect(index.accounts).toBe(10);
    expect(index.shares).toEqual({ engaged: 0.2, responsive: 0.3, not_engaged: 0.5 });
  });
  it("is all zeros for an empty group", () => {
    expect(engagementIndex({ engaged: 0, responsive: 0, not_engaged: 0 }).shares).toEqual({ engaged: 0, responsive: 0, not_engaged: 0 });
  });
});
