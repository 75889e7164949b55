import { describe, expect, it } from "vitest";
import type { DifferenceInterval } from "../stats/intervals";
import { MIN_GROUP_SIZE, verdictFor } from "./verdict";

function interval(difference: number, lower: number, upper: number): DifferenceInterval {
  return { difference, lower, upper, standardError: 1, degreesOfFreedom: 40, tCritical: 2.02, t: difference };
}

describe("verdictFor", () => {
  it("claims a difference only when the interval excludes zero", () => {
    const up = verdictFor({ beforeCount: 50, afterCount: 60, interval: interval(640, 210, 1070) });
    expect(up.kind).toBe("higher");
    expect(up.text).toBe("Mean score 6.4 points higher after than before (95 % interval +2.1 to +10.7 points).");
    expect(verdictFor({ beforeCount: 50, afterCount: 60, interval: interval(-500, -900, -100) }).kind).toBe("lower");
  });
  it("says 'no clear difference' when the interval includes zero, even at its edge", () => {
    const v = verdictFor({ beforeCount: 50, afterCount: 60, interval: interval(300, -120, 720) });
    expect(v.kind).toBe("no_clear_difference");
    expect(v.text).toContain("includes zero");
    expect(verdictFor({ beforeCount: 50, afterCount: 60, interval: interval(300, 0, 600) }).kind).toBe("no_clear_difference");
  });
  it("refuses to judge groups below the minimum size, however clear the interval", () => {
    const v = verdictFor({ beforeCount: MIN_GROUP_SIZE - 1, afterCount: 500, interval: interval(5000, 4000, 6000) });
    expect(v.kind).toBe("too_small");
    expect(v.text).toBe(`Too few accounts to tell: ${MIN_GROUP_SIZE - 1} before and 500 after; at least ${MIN_GROUP_SIZE} in each group are needed.`);
    expect(verdictFor({ beforeCount: 30, afterCount: 30, interval: null }).kind).toBe("too_small");
  });
});
