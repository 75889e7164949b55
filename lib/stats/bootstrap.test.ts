import { describe, expect, it } from "vitest";
import { Random } from "../demo/prng";
import {
  bootstrapInterval,
  bootstrapLevelAt,
  bootstrapMean,
  bootstrapMeanDifference,
  bootstrapMedian,
  bootstrapMedianDifference,
  quantileOfSorted,
  type Interval,
} from "./bootstrap";

/*
 * Outside reference: SciPy 1.17's scipy.stats.bootstrap on the same heavy-tailed data (one
 * value of `after` is 3,832: the kind of power user that makes t intervals lie). Computed once
 * with 200,000 resamples and pinned here:
 *
 *   import numpy as np; from scipy import stats
 *   from scipy.stats._resampling import _bca_interval
 *   rng = np.random.default_rng(20261207)
 *   x = np.round(np.exp(rng.normal(3.0, 1.1, 40)), 1)
 *   before = np.round(np.exp(rng.normal(3.0, 1.0, 35)), 1)
 *   after = np.round(np.exp(rng.normal(3.3, 1.2, 48)), 1)
 *   diff = lambda a, b, axis=-1: np.mean(b, axis=axis) - np.mean(a, axis=axis)
 *   mdiff = lambda a, b, axis=-1: np.median(b, axis=axis) - np.median(a, axis=axis)
 *   B = 200_000
 *   stats.bootstrap((x,), np.mean, n_resamples=B, method="BCa", rng=1)          # and "percentile"
 *   stats.bootstrap((before, after), diff, n_resamples=B, method="BCa", rng=2)  # and "percentile"
 *   stats.bootstrap((x,), np.median, n_resamples=B, method="percentile", rng=3)
 *   stats.bootstrap((before, after), mdiff, n_resamples=B, method="percentile", rng=4)
 *   _bca_interval((x,), lambda a, axis=-1: np.mean(a, axis=axis), -1, 0.025, np.array([1., 2.]), None, np)[2]
 *   _bca_interval((before, after), diff, -1, 0.025, np.array([1., 2.]), None, np)[2]
 *
 * SciPy's own bounds move by up to 0.4 % of the interval's width from one random seed to the
 * next at this many resamples; the checks allow 1.5 %. The BCa and percentile intervals of
 * these data differ by far more (the upper bound of the difference: 409 against 250).
 */
const x = Float64Array.from([
  20.2, 39.2, 6.1, 25.6, 9.4, 17.6, 11.7, 21.2, 7.3, 14.9, 5.5, 48.5, 23.0, 41.1, 6.3, 46.0, 6.8, 26.6, 17.9, 16.2, 9.9, 33.2, 56.0, 5.6,
  41.1, 10.7, 5.8, 86.5, 10.8, 36.4, 1.4, 6.5, 2.8, 23.7, 9.4, 18.6, 3.4, 68.5, 10.2, 3.9,
]);
const before = Float64Array.from([
  17.9, 142.5, 15.3, 49.8, 77.7, 310.6, 124.9, 15.9, 15.2, 68.0, 21.8, 14.2, 3.8, 74.1, 18.3, 8.7, 52.8, 12.8, 142.8, 15.0, 75.4, 20.0, 3.6,
  17.0, 8.5, 24.1, 8.1, 20.2, 14.5, 20.0, 2.1, 35.2, 47.4, 13.1, 34.8,
]);
const after = Float64Array.from([
  24.7, 3832.2, 27.1, 22.0, 42.6, 25.3, 16.9, 68.2, 60.2, 11.0, 18.1, 10.6, 34.9, 5.1, 312.6, 49.2, 16.4, 1.8, 13.9, 71.3, 36.0, 17.6, 16.7,
  5.2, 16.9, 4.1, 20.7, 28.3, 188.5, 187.2, 15.5, 42.5, 4.8, 14.1, 44.8, 14.3, 48.9, 18.7, 29.4, 44.3, 30.7, 12.2, 16.3, 69.8, 149.4, 62.0,
  10.8, 18.8,
]);

const MANY = { resamples: 200_000, seed: 11 };

function expectNear(actual: Interval, reference: Interval, share = 0.015) {
  const tolerance = share * (reference.upper - reference.lower);
  expect(Math.abs(actual.lower - reference.lower)).toBeLessThan(tolerance);
  expect(Math.abs(actual.upper - reference.upper)).toBeLessThan(tolerance);
}

describe("bootstrap intervals against SciPy's scipy.stats.bootstrap", () => {
  it("BCa and percentile intervals of a mean", () => {
    const dist = bootstrapMean(x, MANY);
    expect(dist.estimate).toBeCloseTo(21.3875, 12);
    expect(dist.acceleration).toBeCloseTo(0.039251484235492726, 12);
    expectNear(bootstrapInterval(dist), { lower: 16.380000000000003, upper: 28.517499999999995 });
    expectNear(bootstrapInterval({ ...dist, method: "percentile" }), { lower: 15.81993750000001, upper: 27.630062499999987 });
  });

  it("BCa and percentile intervals of a difference of means, groups resampled independently", () => {
    const dist = bootstrapMeanDifference(before, after, MANY);
    expect(dist.estimate).toBeCloseTo(77.33821428571427, 10);
    expect(dist.acceleration).toBeCloseTo(0.15488406526306178, 12);
    expectNear(bootstrapInterval(dist), { lower: -9.679005452124041, upper: 408.85494632773936 });
    expectNear(bootstrapInterval({ ...dist, method: "percentile" }), { lower: -21.06733035714286, upper: 249.89183779761902 });
  });

  it("percentile intervals of a median and of a difference of medians", () => {
    const median = bootstrapMedian(x, MANY);
    expect(median.estimate).toBeCloseTo(15.55, 12);
    expectNear(bootstrapInterval(median), { lower: 9.65, upper: 22.1 });
    const difference = bootstrapMedianDifference(before, after, MANY);
    expect(difference.estimate).toBeCloseTo(3.35, 12);
    expectNear(bootstrapInterval(difference), { lower: -14.5, upper: 15.45 });
  });
});

describe("bootstrap behaviour", () => {
  it("is deterministic for a seed and moves with another seed", () => {
    const a = bootstrapInterval(bootstrapMeanDifference(before, after, { resamples: 2000, seed: 5 }));
    const b = bootstrapInterval(bootstrapMeanDifference(before, after, { resamples: 2000, seed: 5 }));
    const c = bootstrapInterval(bootstrapMeanDifference(before, after, { resamples: 2000, seed: 6 }));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it("draws the bootstrap median from the order statistics with the same law as resampling does", () => {
    // Brute force: resample and take the median, 20,000 times, on an even-sized sample.
    const random = new Random(3);
    const values = Float64Array.from({ length: 30 }, () => Math.round(Math.exp(random.normal() * 1.2) * 10));
    const brute = new Float64Array(20_000);
    const scratch = new Float64Array(values.length);
    for (let b = 0; b < brute.length; b++) {
      for (let i = 0; i < values.length; i++) scratch[i] = values[Math.floor(random.next() * values.length)] ?? 0;
      scratch.sort();
      brute[b] = ((scratch[14] ?? 0) + (scratch[15] ?? 0)) / 2;
    }
    brute.sort();
    const exact = bootstrapMedian(values, { resamples: 20_000, seed: 9 }).replicates;
    const spread = quantileOfSorted(brute, 0.975) - quantileOfSorted(brute, 0.025);
    for (const p of [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975]) {
      expect(Math.abs(quantileOfSorted(exact, p) - quantileOfSorted(brute, p))).toBeLessThan(0.06 * spread);
    }
  });

  it("gives a zero-width interval on constant data", () => {
    const dist = bootstrapMeanDifference(Float64Array.from([5, 5, 5]), Float64Array.from([8, 8]), { resamples: 500, seed: 1 });
    expect(bootstrapInterval(dist)).toEqual({ lower: 3, upper: 3 });
  });

  it("inverts the interval: the level at a bound is the interval's tail", () => {
    const dist = bootstrapMeanDifference(before, after, { resamples: 20_000, seed: 2 });
    const interval = bootstrapInterval(dist);
    expect(bootstrapLevelAt(dist, interval.lower)).toBeCloseTo(0.025, 3);
    expect(bootstrapLevelAt(dist, interval.upper)).toBeCloseTo(0.975, 3);
    expect(bootstrapLevelAt(dist, -1e9)).toBe(0);
    expect(bootstrapLevelAt(dist, 1e9)).toBe(1);
  });

  it("refuses empty groups", () => {
    expect(() => bootstrapMean(new Float64Array(0), { resamples: 10, seed: 1 })).toThrow(RangeError);
  });
});
