import { describe, expect, it } from "vitest";
import { bandFor, DEFAULT_THRESHOLDS } from "../scoring/bands";
import { scoreHistogram } from "./histogram";

describe("scoreHistogram", () => {
  const options = { binWidth: 10, max: 150, thresholds: DEFAULT_THRESHOLDS };

  it("lays out a churn-risk bin, 10-point bins and an open last bin, coloured by band", () => {
    const bins = scoreHistogram([], options);
    expect(bins.map((b) => b.label)).toEqual([
      "≤ 0", "0–10", "10–20", "20–30", "30–40", "40–50", "50–60", "60–70", "70–80",
      "80–90", "90–100", "100–110", "110–120", "120–130", "130–140", "140–150", "≥ 150",
    ]);
    expect(bins.map((b) => b.band)).toEqual([
      "churn_risk", "low", "low", "low", "low", "medium", "medium", "medium", "medium",
      "high", "high", "power", "power", "power", "power", "power", "power",
    ]);
  });

  it("puts every score in exactly one bin, boundaries in the higher bin", () => {
    // In hundredths: −5, 0, 0.01, 9.99, 10, 40, 99.99, 150, 900.
    const scores = [-500, 0, 1, 999, 1000, 4000, 9999, 15000, 90000];
    const bins = scoreHistogram(scores, options);
    const byLabel = Object.fromEntries(bins.map((b) => [b.label, b.count]));
    expect(byLabel["≤ 0"]).toBe(2);
    expect(byLabel["0–10"]).toBe(2);
    expect(byLabel["10–20"]).toBe(1);
    expect(byLabel["40–50"]).toBe(1);
    expect(byLabel["90–100"]).toBe(1);
    expect(byLabel["≥ 150"]).toBe(2);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(scores.length);
  });

  it("counts a score on the power-user threshold in the high bin below it, never in a power-user bin", () => {
    // 100 points is high (power users are above 100); 100.01 is a power user.
    const bins = scoreHistogram([10000, 10001], options);
    const at = (label: string) => bins.find((b) => b.label === label);
    expect(at("90–100")).toMatchObject({ count: 1, band: "high" });
    expect(at("100–110")).toMatchObject({ count: 1, band: "power" });
  });

  it("puts every score in a bin of its own band", () => {
    for (const hundredths of [-1, 0, 1, 3999, 4000, 7999, 8000, 9999, 10000, 10001, 14999, 15000]) {
      const counted = scoreHistogram([hundredths], options).filter((b) => b.count > 0);
      expect(counted.map((b) => b.band), `${hundredths / 100} points`).toEqual([bandFor(hundredths / 100, DEFAULT_THRESHOLDS)]);
    }
  });
});
