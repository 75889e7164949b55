import { describe, expect, it } from "vitest";
import { sharedSparklineScale } from "./sparkline-scale";

describe("sharedSparklineScale", () => {
  it("runs from zero to the highest value of any row, so a drift from 60 to 50 is a sixth of the height", () => {
    const scale = sharedSparklineScale([
      [6000, 5500, 5000],
      [2000, null, 3000],
    ]);
    expect(scale).toEqual({ min: 0, max: 6000 });
    const drop = scale ? (6000 - 5000) / (scale.max - scale.min) : 0;
    expect(drop).toBeCloseTo(1 / 6);
  });
  it("reaches below zero when a row does, and is null without values", () => {
    expect(sharedSparklineScale([[-500, 1000]])).toEqual({ min: -500, max: 1000 });
    expect(sharedSparklineScale([[null], []])).toBeNull();
    expect(sharedSparklineScale([[0, 0]])).toEqual({ min: 0, max: 1 });
  });
});
