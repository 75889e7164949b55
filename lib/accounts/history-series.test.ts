import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../scoring/bands";
import { bandAreas, historySeries, scoreAxisDomain, scoreTicks } from "./history-series";

describe("historySeries", () => {
  it("dates each daily value and converts hundredths to points", () => {
    expect(historySeries("2026-02-27", [2300, -150, 0])).toEqual([
      { day: 20511, date: "2026-02-27", score: 23 },
      { day: 20512, date: "2026-02-28", score: -1.5 },
      { day: 20513, date: "2026-03-01", score: 0 },
    ]);
  });
});

describe("scoreAxisDomain", () => {
  it("spans the thresholds even when the scores stay inside one band", () => {
    // Scores 50–60; the axis must still show 0 and 100: 0 − 8 → −10, 100 + 8 → 110.
    expect(scoreAxisDomain(historySeries("2026-01-01", [5000, 6000]), DEFAULT_THRESHOLDS)).toEqual([-10, 110]);
  });
  it("grows to fit scores beyond the thresholds", () => {
    // −30 … 150: span 180, pad 14.4 → −44.4 → −50 and 164.4 → 170.
    expect(scoreAxisDomain(historySeries("2026-01-01", [-3000, 15000]), DEFAULT_THRESHOLDS)).toEqual([-50, 170]);
  });
});

describe("bandAreas", () => {
  it("shades each band between its thresholds, clipped to the axis", () => {
    expect(bandAreas([-10, 110], DEFAULT_THRESHOLDS)).toEqual([
      { band: "churn_risk", from: -10, to: 0 },
      { band: "low", from: 0, to: 40 },
      { band: "medium", from: 40, to: 80 },
      { band: "high", from: 80, to: 100 },
      { band: "power", from: 100, to: 110 },
    ]);
  });
});

describe("scoreTicks", () => {
  it("puts at most nine round ticks on the axis, on steps of 1, 2 or 5 × 10ⁿ", () => {
    // Span 120: step 10 gives 13 ticks, step 20 gives 7 (0 … 100).
    expect(scoreTicks([-10, 110])).toEqual([0, 20, 40, 60, 80, 100]);
    // Span 160: step 10 allows 17 ticks, step 20 allows 9; inside −30 … 130 they fall on −20 … 120.
    expect(scoreTicks([-30, 130])).toEqual([-20, 0, 20, 40, 60, 80, 100, 120]);
    expect(scoreTicks([-500, 1500])).toEqual([-500, 0, 500, 1000, 1500]);
    expect(scoreTicks([3, 3])).toEqual([3]);
  });
});
