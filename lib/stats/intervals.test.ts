import { describe, expect, it } from "vitest";
import { meanConfidenceInterval } from "./intervals";
import { momentsOf, summarize } from "./moments";

describe("meanConfidenceInterval", () => {
  it("is mean ± t(0.975, n−1)·s/√n (by hand with the t table value 2.776 for ν = 4)", () => {
    // 2, 4, 4, 4, 5 → mean 3.8, s² = (3.24 + 0.04·3 + 1.44)/4 = 1.2, SE = √(1.2/5) = 0.4899.
    const r = meanConfidenceInterval(summarize(momentsOf([2, 4, 4, 4, 5])));
    expect(r?.mean).toBeCloseTo(3.8, 12);
    expect(r?.standardError).toBeCloseTo(Math.sqrt(0.24), 12);
    expect(r?.lower).toBeCloseTo(3.8 - 2.776 * Math.sqrt(0.24), 2);
    expect(r?.upper).toBeCloseTo(3.8 + 2.776 * Math.sqrt(0.24), 2);
  });
  it("is null for fewer than two values", () => {
    expect(meanConfidenceInterval(summarize(momentsOf([5])))).toBeNull();
  });
});
