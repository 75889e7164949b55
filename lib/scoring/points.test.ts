import { describe, expect, it } from "vitest";
import { fromHundredths, toHundredths, weightProblem } from "./points";

describe("points and weights", () => {
  it("converts to exact hundredths", () => {
    expect(toHundredths(1.5)).toBe(150);
    expect(toHundredths(0.1 + 0.2)).toBe(30);
    expect(toHundredths(-15)).toBe(-1500);
    expect(fromHundredths(4000)).toBe(40);
  });
  it("validates weights", () => {
    expect(weightProblem(2.25)).toBeNull();
    expect(weightProblem(-1000)).toBeNull();
    expect(weightProblem(1000.01)).toMatch(/between/);
    expect(weightProblem(Number.NaN)).toMatch(/finite/);
    expect(weightProblem(Number.POSITIVE_INFINITY)).toMatch(/finite/);
    expect(weightProblem(1.234)).toMatch(/two decimals/);
  });
});
