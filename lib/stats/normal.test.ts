import { describe, expect, it } from "vitest";
import { normalCdf, normalQuantile } from "./normal";

// Reference values from SciPy 1.17: scipy.special.ndtr / ndtri (printed with repr()).
describe("normalCdf", () => {
  it("matches SciPy's ndtr to 1e-14 in the middle and to relative 1e-12 in the tails", () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalCdf(0.3)).toBeCloseTo(0.6179114221889526, 14);
    expect(normalCdf(-8) / 6.22096057427174e-16).toBeCloseTo(1, 12);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
  });
});

describe("normalQuantile", () => {
  it("matches SciPy's ndtri and inverts normalCdf", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 13);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 11);
    expect(normalQuantile(0.0125)).toBeCloseTo(-2.241402727604945, 13);
    for (const p of [1e-6, 0.01, 0.2, 0.49, 0.51, 0.9, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });
});
