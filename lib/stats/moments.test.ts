import { describe, expect, it } from "vitest";
import { momentsOf, sampleStandardDeviation, sampleVariance, summarize } from "./moments";

describe("moments", () => {
  it("computes the sample variance by hand-checked examples", () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, s² = 32/7.
    expect(sampleVariance([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(32 / 7, 12);
    expect(sampleStandardDeviation([1, 3])).toBeCloseTo(Math.SQRT2, 12); // (1 + 1)/1 = 2
    expect(sampleVariance([7])).toBeNull();
  });
  it("stays exact for large scores in hundredths where Σx² exceeds 2^53", () => {
    // 50,000 values alternating 1,000,000 ± 1: mean 1,000,000, each squared deviation 1.
    const values = Float64Array.from({ length: 50_000 }, (_, i) => 1_000_000 + (i % 2 === 0 ? 1 : -1));
    const s = summarize(momentsOf(values));
    expect(s.mean).toBeCloseTo(1_000_000, 9);
    expect(s.variance).toBeCloseTo(50_000 / 49_999, 9);
  });
  it("summarises an empty group without inventing a mean", () => {
    const s = summarize(momentsOf([]));
    expect(s.n).toBe(0);
    expect(Number.isNaN(s.mean)).toBe(true);
  });
});
