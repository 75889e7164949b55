import { describe, expect, it } from "vitest";
import { aucWithInterval, midRanks, operatingPoint, pairedAucDifference, rocCurve, thinCurve, type RocPoint } from "./roc";

/** The area under a curve of points (trapezoids): for rocCurve it must equal the AUC. */
function areaUnder(points: readonly RocPoint[]): number {
  let area = 0;
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1];
    const b = points[k];
    if (!a || !b) continue;
    area += (b.renewersFlagged - a.renewersFlagged) * (a.churnersCaught + b.churnersCaught) * 0.5;
  }
  return area;
}

// pROC's example data set aSAH (Robin et al. 2011, "pROC: an open-source package for R and S+
// to analyze and compare ROC curves", BMC Bioinformatics 12:77): S100β and WFNS of 113
// patients after subarachnoid haemorrhage, positives = poor outcome. pROC's documentation
// gives AUC 0.7314, 95 % CI 0.6301–0.8326 (DeLong) for S100β; the further digits, the
// variances and the paired test are R 4.2 / pROC 1.18: var(roc, method = "delong"),
// cov(roc1, roc2, method = "delong"), roc.test(..., method = "delong", paired = TRUE).
const S100B_POOR = [
  0.13, 0.1, 0.16, 0.12, 0.44, 0.71, 0.49, 0.07, 0.33, 0.09, 0.07, 0.41, 0.35, 0.48, 0.96, 0.25, 0.86, 0.52, 2.07, 0.07, 0.77, 0.3, 0.03, 0.09, 0.23, 0.7,
  0.27, 0.71, 0.08, 0.26, 0.13, 0.1, 0.11, 0.22, 0.56, 0.14, 0.58, 0.32, 0.82, 0.74, 0.44,
];
const S100B_GOOD = [
  0.13, 0.14, 0.1, 0.04, 0.47, 0.18, 0.1, 0.1, 0.04, 0.08, 0.04, 0.09, 0.11, 0.07, 0.17, 0.07, 0.11, 0.13, 0.19, 0.05, 0.16, 0.14, 0.34, 0.09, 0.5, 0.46,
  0.16, 0.07, 0.43, 0.45, 0.11, 0.08, 0.09, 0.08, 0.06, 0.13, 0.1, 0.14, 0.15, 0.06, 0.05, 0.09, 0.04, 0.09, 0.08, 0.16, 0.09, 0.08, 0.33, 0.11, 0.28, 0.07,
  0.1, 0.32, 0.07, 0.05, 0.24, 0.38, 0.1, 0.15, 0.08, 0.14, 0.1, 0.07, 0.04, 0.19, 0.15, 0.47, 0.17, 0.15, 0.5, 0.48,
];
const WFNS_POOR = [3, 2, 4, 5, 5, 5, 5, 2, 5, 2, 1, 2, 5, 4, 4, 2, 5, 5, 5, 2, 5, 2, 5, 2, 4, 5, 4, 4, 1, 4, 4, 2, 2, 5, 5, 2, 2, 5, 5, 5, 5];
const WFNS_GOOD = [
  1, 1, 1, 1, 5, 1, 2, 2, 1, 2, 2, 1, 1, 1, 2, 1, 2, 1, 1, 3, 4, 1, 4, 1, 5, 5, 1, 1, 2, 4, 1, 1, 2, 2, 1, 2, 1, 2, 2, 1, 1, 1, 1, 2, 1, 2, 1, 1, 3, 2, 4, 2,
  1, 4, 1, 1, 5, 4, 2, 2, 1, 1, 1, 3, 1, 2, 2, 4, 4, 1, 1, 1,
];

describe("aucWithInterval (DeLong)", () => {
  it("matches a hand-worked example", () => {
    // Positives 0.9, 0.8, 0.6, 0.55; negatives 0.7, 0.5, 0.4. Pairs won: 3 + 3 + 2 + 2 = 10 of 12.
    // Placements V10 = (1, 1, ⅔, ⅔), V01 = (½, 1, 1); S10 = (4 · (⅙)²) / 3 = 1/27,
    // S01 = ((⅓)² + 2 · (⅙)²) / 2 = 1/12; Var = S10/4 + S01/3 = 1/108 + 1/36 = 1/27.
    // (pROC: auc 0.8333333, var 0.037037037037037, CI 0.456138088641276–1.)
    const result = aucWithInterval([0.9, 0.8, 0.6, 0.55], [0.7, 0.5, 0.4]);
    expect(result?.auc).toBeCloseTo(10 / 12, 14);
    expect(result?.standardError).toBeCloseTo(Math.sqrt(1 / 27), 14);
    expect(result?.lower).toBeCloseTo(0.456138088641276, 12);
    expect(result?.upper).toBe(1);
  });

  it("counts a tie as half a pair", () => {
    expect(aucWithInterval([1, 2], [1, 0])?.auc).toBeCloseTo((0.5 + 1 + 1 + 1) / 4, 14);
    expect(aucWithInterval([5, 5, 5], [5, 5])?.auc).toBe(0.5);
  });

  it("reproduces pROC on its aSAH example", () => {
    const s100b = aucWithInterval(S100B_POOR, S100B_GOOD);
    expect(s100b?.auc).toBeCloseTo(0.731368563685637, 12);
    expect((s100b?.standardError ?? 0) ** 2).toBeCloseTo(0.00266868245717244, 14);
    expect(s100b?.lower).toBeCloseTo(0.630118211761623, 10);
    expect(s100b?.upper).toBeCloseTo(0.832618915609651, 10);
    const wfns = aucWithInterval(WFNS_POOR, WFNS_GOOD);
    expect(wfns?.auc).toBeCloseTo(0.823678861788618, 12);
    expect((wfns?.standardError ?? 0) ** 2).toBeCloseTo(0.00146991470882363, 14);
  });

  it("compares two scores on the same cases (paired DeLong) as pROC's roc.test does", () => {
    const diff = pairedAucDifference({ positives: S100B_POOR, negatives: S100B_GOOD }, { positives: WFNS_POOR, negatives: WFNS_GOOD });
    expect(diff?.difference).toBeCloseTo(0.823678861788618 - 0.731368563685637, 12);
    // Var = var₁ + var₂ − 2 cov, with pROC's cov 0.00119615567376754; Z = −2.20898359144091.
    const variance = 0.00266868245717244 + 0.00146991470882363 - 2 * 0.00119615567376754;
    expect(diff?.standardError).toBeCloseTo(Math.sqrt(variance), 12);
    expect((0.731368563685637 - 0.823678861788618) / (diff?.standardError ?? 1)).toBeCloseTo(-2.20898359144091, 9);
  });

  it("needs both groups", () => {
    expect(aucWithInterval([], [1])).toBeNull();
    expect(aucWithInterval([1], [])).toBeNull();
    expect(aucWithInterval([2], [1])).toMatchObject({ auc: 1, standardError: 0 });
  });
});

describe("the ROC curve", () => {
  it("walks from (0, 0) to (1, 1), one point per distinct score, with the AUC as its area", () => {
    const curve = rocCurve([0.9, 0.8, 0.6, 0.55], [0.7, 0.5, 0.4]);
    expect(curve.map((p) => [p.threshold, p.churnersCaught, p.renewersFlagged])).toEqual([
      [Number.NEGATIVE_INFINITY, 0, 0],
      [0.4, 1 / 3, 0],
      [0.5, 2 / 3, 0],
      [0.55, 2 / 3, 0.25],
      [0.6, 2 / 3, 0.5],
      [0.7, 1, 0.5],
      [0.8, 1, 0.75],
      [0.9, 1, 1],
    ]);
    expect(areaUnder(curve)).toBeCloseTo(10 / 12, 14);
    expect(areaUnder(rocCurve(S100B_POOR, S100B_GOOD))).toBeCloseTo(0.731368563685637, 12);
  });

  it("thins a long curve evenly, keeping both ends", () => {
    const points = Array.from({ length: 1001 }, (_, i) => i);
    const thin = thinCurve(points, 11);
    expect(thin).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(thinCurve([1, 2], 11)).toEqual([1, 2]);
  });

  it("tells what flagging below a threshold catches", () => {
    expect(operatingPoint([0.9, 0.8, 0.6, 0.55], [0.7, 0.5, 0.4], 0.6)).toEqual({ churnersCaught: 2 / 3, renewersFlagged: 0.25 });
  });

  it("gives tied values their mean rank", () => {
    expect([...midRanks([3, 1, 3, 2])]).toEqual([3.5, 1, 3.5, 2]);
  });
});
