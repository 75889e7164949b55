import { describe, expect, it } from "vitest";
import { logGamma, regularizedIncompleteBeta, studentTCdf, studentTQuantile } from "./student-t";

describe("logGamma", () => {
  it("matches factorials and Γ(1/2) = √π (by hand)", () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12); // Γ(5) = 4! = 24
    expect(logGamma(11)).toBeCloseTo(Math.log(3_628_800), 10); // Γ(11) = 10!
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(0.25)).toBeCloseTo(Math.log(3.625609908221908), 12); // Γ(1/4), Abramowitz & Stegun table 6.1
  });
});

describe("regularizedIncompleteBeta", () => {
  it("has the closed forms I_x(1, 1) = x and I_x(a, 1) = x^a (by hand)", () => {
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedIncompleteBeta(0.5, 3, 1)).toBeCloseTo(0.125, 14);
    expect(regularizedIncompleteBeta(0.9, 2, 1)).toBeCloseTo(0.81, 14);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe("studentTCdf", () => {
  it("is the Cauchy distribution at one degree of freedom: 1/2 + atan(t)/π (by hand)", () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
    expect(studentTCdf(-1, 1)).toBeCloseTo(0.25, 12);
    expect(studentTCdf(0, 7)).toBe(0.5);
  });
  it("agrees with SciPy 1.17.1 (scipy.stats.t.cdf)", () => {
    expect(studentTCdf(2.0, 4)).toBeCloseTo(0.9419417382415922, 12);
    expect(studentTCdf(-1.5, 2.5)).toBeCloseTo(0.12391822654314809, 12);
  });
});

describe("studentTQuantile", () => {
  it("gives the two-sided 95 % critical values of published t tables (NIST/SEMATECH e-Handbook, table 1.3.6.7.2)", () => {
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [5, 2.571],
      [10, 2.228],
      [30, 2.042],
      [100, 1.984],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
  });
  it("matches the closed forms for one and two degrees of freedom (by hand)", () => {
    // ν = 1: t = tan(π(p − 1/2)); ν = 2: t = (2p − 1) / √(2p(1 − p)).
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(Math.PI * 0.475), 9);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(0.95 / Math.sqrt(2 * 0.975 * 0.025), 9);
  });
  it("handles fractional degrees of freedom, as Welch's approximation needs (SciPy 1.17.1, scipy.stats.t.ppf)", () => {
    expect(studentTQuantile(0.975, 7.5)).toBeCloseTo(2.333039626864974, 9);
    expect(studentTQuantile(0.975, 24.988529290231416)).toBeCloseTo(2.059586491365625, 9);
    expect(studentTQuantile(0.95, 3)).toBeCloseTo(2.3533634348018233, 9);
  });
  it("tends to the normal quantile 1.959964 for many degrees of freedom (SciPy 1.17.1: t.ppf(0.975, 1000) = 1.962339)", () => {
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.9623390808264083, 8);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 5);
  });
  it("is symmetric and rejects nonsense", () => {
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138851986274, 9);
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(RangeError);
  });
});
