import { describe, expect, it } from "vitest";
import { meanConfidenceInterval, welchDifferenceInterval } from "./intervals";
import { momentsOf, summarize } from "./moments";

// Wikipedia, "Welch's t-test", worked example 1 (two samples of 15): t = 2.46, ν ≈ 25.0,
// p = 0.021. The interval bounds are from SciPy 1.17.1:
// scipy.stats.ttest_ind(A2, A1, equal_var=False).confidence_interval(0.95).
const A1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
const A2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

describe("welchDifferenceInterval", () => {
  it("reproduces Wikipedia's worked example and SciPy's interval", () => {
    const r = welchDifferenceInterval(summarize(momentsOf(A1)), summarize(momentsOf(A2)));
    expect(r).not.toBeNull();
    if (!r) return;
    expect(r.difference).toBeCloseTo(22.986666666666665 - 20.82, 10);
    expect(r.t).toBeCloseTo(2.455356398286006, 9);
    expect(r.degreesOfFreedom).toBeCloseTo(24.988529290231416, 8);
    expect(r.lower).toBeCloseTo(0.3492370661924069, 8);
    expect(r.upper).toBeCloseTo(3.984096267140929, 8);
  });

  it("gives an interval that includes zero for overlapping, noisy groups (SciPy 1.17.1)", () => {
    const a = [3, 4, 5, 8, 9, 1, 2, 4, 5];
    const b = [6, 19, 3, 2, 14, 4, 5, 17, 1];
    const r = welchDifferenceInterval(summarize(momentsOf(a)), summarize(momentsOf(b)));
    expect(r?.t).toBeCloseTo(1.3622298275594995, 9);
    expect(r?.degreesOfFreedom).toBeCloseTo(10.255208532019596, 8);
    expect(r?.lower).toBeCloseTo(-2.100516403485063, 8);
    expect(r?.upper).toBeCloseTo(8.76718307015173, 8);
  });

  it("works from summaries worked out by hand", () => {
    // Group 1: n 20, mean 100, s 15; group 2: n 20, mean 95, s 20 (by hand:
    // SE = √(225/20 + 400/20) = √31.25 = 5.5902; ν = 31.25² / ((11.25² + 20²)/19) = 35.20).
    const r = welchDifferenceInterval({ n: 20, mean: 100, variance: 225 }, { n: 20, mean: 95, variance: 400 });
    expect(r?.difference).toBe(-5);
    expect(r?.standardError).toBeCloseTo(Math.sqrt(31.25), 12);
    expect(r?.degreesOfFreedom).toBeCloseTo((31.25 * 31.25) / ((11.25 * 11.25 + 400) / 19), 12);
    expect(r?.degreesOfFreedom).toBeCloseTo(35.2, 1);
  });

  it("needs two values in each group, and is exact for constant groups", () => {
    expect(welchDifferenceInterval({ n: 1, mean: 3, variance: 0 }, { n: 10, mean: 4, variance: 1 })).toBeNull();
    const r = welchDifferenceInterval({ n: 3, mean: 2, variance: 0 }, { n: 4, mean: 5, variance: 0 });
    expect(r).toMatchObject({ difference: 3, lower: 3, upper: 3, standardError: 0 });
  });
});

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
