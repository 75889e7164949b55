import { describe, expect, it } from "vitest";
import { wilsonInterval } from "./wilson";

describe("wilsonInterval", () => {
  // Published: Newcombe (1998), "Two-sided confidence intervals for the single proportion",
  // Statistics in Medicine 17:857–872, Table I, method 3 (score interval without continuity
  // correction). The digits beyond Newcombe's four are R 4.2's prop.test(x, n, correct = FALSE).
  it.each([
    [81, 263, 0.255288519878274, 0.3662095769828],
    [15, 148, 0.0623863995307363, 0.160487241723308],
    [0, 20, 0, 0.161125158052819],
    [1, 29, 0.00611321429276266, 0.171755218793203],
  ])("%i of %i: the published interval", (x, n, lower, upper) => {
    const interval = wilsonInterval(x, n);
    expect(interval?.rate).toBeCloseTo(x / n, 14);
    expect(interval?.lower).toBeCloseTo(lower, 12);
    expect(interval?.upper).toBeCloseTo(upper, 12);
  });

  it("is exactly [x, 1] at n of n, and null without trials", () => {
    // By symmetry with 0 of 20.
    const all = wilsonInterval(20, 20);
    expect(all?.upper).toBe(1);
    expect(all?.lower).toBeCloseTo(1 - 0.161125158052819, 12);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it("refuses impossible counts", () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
  });
});
