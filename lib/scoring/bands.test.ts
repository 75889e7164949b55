import { describe, expect, it } from "vitest";
import { BANDS, bandFor, bandRangeLabel, TIER_BANDS, TIERS, tierFor } from "./bands";

describe("bandFor with the defaults of PRODUCT.md", () => {
  it.each([
    [-250, "churn_risk"],
    [-0.01, "churn_risk"],
    [0, "churn_risk"],
    [0.01, "low"],
    [1, "low"],
    [39.99, "low"],
    [40, "medium"], // a boundary value belongs to the higher band
    [79.99, "medium"],
    [80, "high"],
    [100, "high"], // 80–100 is high; only above 100 is a power user
    [100.01, "power"],
    [5000, "power"],
  ] as const)("%d points → %s", (points, band) => {
    expect(bandFor(points)).toBe(band);
  });
});

describe("configurable thresholds", () => {
  const t = { churnRiskMax: -10, mediumFrom: 30, highFrom: 60, powerAbove: 90 };
  it("uses the given boundaries, boundary to the higher band", () => {
    expect(bandFor(-10, t)).toBe("churn_risk");
    expect(bandFor(-9, t)).toBe("low");
    expect(bandFor(30, t)).toBe("medium");
    expect(bandFor(60, t)).toBe("high");
    expect(bandFor(90, t)).toBe("high");
    expect(bandFor(91, t)).toBe("power");
  });
});

describe("labels and tiers", () => {
  it("writes the ranges as the product brief does", () => {
    expect(bandRangeLabel("churn_risk")).toBe("≤ 0");
    expect(bandRangeLabel("low")).toBe("1–40");
    expect(bandRangeLabel("medium")).toBe("40–80");
    expect(bandRangeLabel("high")).toBe("80–100");
    expect(bandRangeLabel("power")).toBe("> 100");
  });

  it("puts churn risk on the 1–40 list and power users on the 80–100 list", () => {
    expect(tierFor("churn_risk")).toBe("low");
    expect(tierFor("low")).toBe("low");
    expect(tierFor("medium")).toBe("medium");
    expect(tierFor("high")).toBe("high");
    expect(tierFor("power")).toBe("high");
  });

  it("puts every band on exactly one tier", () => {
    for (const band of BANDS) expect(TIERS.filter((t) => TIER_BANDS[t].includes(band))).toEqual([tierFor(band)]);
  });
});
