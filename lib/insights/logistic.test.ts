import { describe, expect, it } from "vitest";
import { aucWithInterval } from "./roc";
import { coefficientStandardErrors, crossValidateRidgeLogistic, fitRidgeLogistic, linearPredictor, solveSymmetric, stratifiedFolds, type LogisticData } from "./logistic";
import { syntheticLogisticData } from "./synthetic";

// mtcars (R's datasets package): transmission am (1 = manual) against horsepower and weight.
const HP = [110, 110, 93, 110, 175, 105, 245, 62, 95, 123, 123, 180, 180, 180, 205, 215, 230, 66, 52, 65, 97, 150, 150, 245, 175, 66, 91, 113, 264, 175, 335, 109];
const WT = [
  2.62, 2.875, 2.32, 3.215, 3.44, 3.46, 3.57, 3.19, 3.15, 3.44, 3.44, 4.07, 3.73, 3.78, 5.25, 5.424, 5.345, 2.2, 1.615, 1.835, 2.465, 3.52, 3.435, 3.84,
  3.845, 1.935, 2.14, 1.513, 3.17, 2.77, 3.57, 2.78,
];
const AM = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
const MTCARS: LogisticData = { x: Float64Array.from(HP.flatMap((hp, i) => [hp, WT[i] ?? 0])), y: Uint8Array.from(AM), rows: 32, cols: 2 };

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe("fitRidgeLogistic", () => {
  it("without a penalty is the maximum-likelihood fit: R's glm(am ~ hp + wt, binomial)", () => {
    // R 4.2: coef(glm(am ~ hp + wt, data = mtcars, family = binomial)) =
    // 18.8662987172041, 0.0362555960822166, −8.08347518244464 (also a textbook example).
    const model = fitRidgeLogistic(MTCARS, 0, { standardize: false });
    expect(model.converged).toBe(true);
    expect(relativeError(model.intercept, 18.8662987172041)).toBeLessThan(1e-7);
    expect(relativeError(model.coefficients[0] ?? 0, 0.0362555960822166)).toBeLessThan(1e-7);
    expect(relativeError(model.coefficients[1] ?? 0, -8.08347518244464)).toBeLessThan(1e-7);
    // Standardising changes nothing without a penalty.
    const standardised = fitRidgeLogistic(MTCARS, 0);
    expect(relativeError(standardised.coefficients[1] ?? 0, -8.08347518244464)).toBeLessThan(1e-6);
  });

  // scikit-learn 1.2.1: LogisticRegression(C = 1 / (n λ), solver = "newton-cg", tol = 1e-14)
  // on X = [hp, wt] (raw), and on the columns standardised with their population SD (then
  // mapped back to the raw scale: β / sd, b − Σ β·mean). Its lbfgs solver agrees to ~1e-6.
  it.each([
    [0.01, false, 8.850429004923, 0.016842399933, -3.81022329726],
    [0.1, false, 3.261408080497, 0.002967867448, -1.305600291926],
    [0.01, true, 8.978158867398, 0.015574491383, -3.789263972154],
    [0.1, true, 3.450782502989, 0.002063949144, -1.325806350661],
  ])("with λ = %f (standardised: %s) matches scikit-learn's L2 logistic regression", (lambda, standardize, intercept, hp, wt) => {
    const model = fitRidgeLogistic(MTCARS, lambda, { standardize });
    expect(model.converged).toBe(true);
    expect(relativeError(model.intercept, intercept)).toBeLessThan(1e-5);
    expect(relativeError(model.coefficients[0] ?? 0, hp)).toBeLessThan(1e-5);
    expect(relativeError(model.coefficients[1] ?? 0, wt)).toBeLessThan(1e-5);
  });

  it("gives a column that never varies a weight of 0", () => {
    const data: LogisticData = { x: Float64Array.from(HP.flatMap((hp) => [hp, 7])), y: Uint8Array.from(AM), rows: 32, cols: 2 };
    const model = fitRidgeLogistic(data, 0.1);
    expect(model.coefficients[1]).toBe(0);
    expect(Number.isFinite(model.intercept)).toBe(true);
  });

  it("recovers the weights the data were generated with", () => {
    // 20,000 accounts, six event types with known per-event effects on the log-odds of renewal
    // (two of them risks). A nearly unpenalised fit must land within a few standard errors.
    const weights = [0.02, 0.08, 0.3, 0.6, -0.5, -1.2];
    const rates = [30, 8, 2, 0.8, 0.6, 0.3];
    const data = syntheticLogisticData({ rows: 20_000, intercept: -1, weights, rates, seed: 3 });
    const model = fitRidgeLogistic(data, 1e-6);
    expect(model.intercept).toBeCloseTo(-1, 0);
    weights.forEach((w, j) => {
      const fitted = model.coefficients[j] ?? 0;
      expect(Math.abs(fitted - w), `weight ${j}`).toBeLessThan(Math.max(0.1 * Math.abs(w), 0.006));
    });
  });
});

describe("coefficientStandardErrors", () => {
  it("for one binary feature is Woolf's standard error of the log odds ratio", () => {
    // A 2 × 2 table: x = 1 with 20 renewals and 10 churns, x = 0 with 15 and 25. The maximum-
    // likelihood coefficient is the log odds ratio ln(20·25 / (10·15)) = 1.2040, and its
    // standard error is Woolf's (1955) √(1/20 + 1/10 + 1/15 + 1/25) = 0.50662.
    const cells: [x: number, y: number, count: number][] = [[1, 1, 20], [1, 0, 10], [0, 1, 15], [0, 0, 25]];
    const rows = cells.flatMap(([x, y, count]) => Array.from({ length: count }, () => [x, y] as const));
    const data: LogisticData = { x: Float64Array.from(rows.map(([x]) => x)), y: Uint8Array.from(rows.map(([, y]) => y)), rows: rows.length, cols: 1 };
    const model = fitRidgeLogistic(data, 0);
    expect(relativeError(model.coefficients[0] ?? 0, Math.log((20 * 25) / (10 * 15)))).toBeLessThan(1e-7);
    const [se] = coefficientStandardErrors(data, model);
    expect(relativeError(se ?? 0, Math.sqrt(1 / 20 + 1 / 10 + 1 / 15 + 1 / 25))).toBeLessThan(1e-6);
  });

  it("without a penalty matches R's summary(glm(am ~ hp + wt, binomial)) standard errors", () => {
    // R: hp 0.01773, wt 3.06868 (printed to 4–6 significant digits).
    const model = fitRidgeLogistic(MTCARS, 0, { standardize: false });
    const [hp, wt] = coefficientStandardErrors(MTCARS, model, { standardize: false });
    expect(relativeError(hp ?? 0, 0.01773)).toBeLessThan(1e-3);
    expect(relativeError(wt ?? 0, 3.06868)).toBeLessThan(1e-4);
  });

  it("shrinks with the penalty, and gives a column that never varies 0", () => {
    const data: LogisticData = { x: Float64Array.from(HP.flatMap((hp, i) => [hp, WT[i] ?? 0, 7])), y: Uint8Array.from(AM), rows: 32, cols: 3 };
    const loose = coefficientStandardErrors(data, fitRidgeLogistic(data, 0));
    const tight = coefficientStandardErrors(data, fitRidgeLogistic(data, 0.5));
    expect(tight[1] ?? 0).toBeLessThan(loose[1] ?? 0);
    expect(loose[2]).toBe(0);
  });
});

describe("solveSymmetric", () => {
  it("solves a hand-checked 3 × 3 system", () => {
    // [[4, 2, 0], [2, 5, 1], [0, 1, 3]] · (1, 2, 3) = (8, 15, 11)
    const upper = Float64Array.from([4, 2, 0, 0, 5, 1, 0, 0, 3]);
    const d = solveSymmetric(upper, Float64Array.from([8, 15, 11]), 3);
    expect([...d].map((v) => Number(v.toFixed(12)))).toEqual([1, 2, 3]);
  });
});

describe("crossValidateRidgeLogistic", () => {
  it("deals stratified folds: each fold has its share of both outcomes, the same for the same seed", () => {
    const y = Uint8Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 0 : 1));
    const folds = stratifiedFolds(y, 5, 7);
    for (let f = 0; f < 5; f++) {
      const members = [...folds.keys()].filter((i) => folds[i] === f);
      const zeros = members.filter((i) => y[i] === 0).length;
      expect(members.length).toBeGreaterThanOrEqual(20);
      expect(zeros).toBeGreaterThanOrEqual(5);
      expect(zeros).toBeLessThanOrEqual(6);
    }
    expect([...stratifiedFolds(y, 5, 7)]).toEqual([...folds]);
  });

  it("chooses little shrinkage with plenty of data, and its held-out predictions rank well", () => {
    const weights = [0.02, 0.08, 0.3, -0.5];
    const data = syntheticLogisticData({ rows: 4000, intercept: -0.5, weights, rates: [30, 8, 2, 0.6], seed: 11 });
    const cv = crossValidateRidgeLogistic(data, { folds: 5, seed: 1 });
    expect(cv.lambdas[cv.best]).toBeLessThanOrEqual(0.01);
    expect(cv.deviance.length).toBe(cv.lambdas.length);
    // The held-out AUC is close to what the true model achieves on the same rows.
    const truth = { intercept: -0.5, coefficients: Float64Array.from(weights), lambda: 0, iterations: 0, converged: true };
    const split = (score: (i: number) => number) => {
      const positives: number[] = [];
      const negatives: number[] = [];
      for (let i = 0; i < data.rows; i++) (data.y[i] === 1 ? positives : negatives).push(score(i));
      return aucWithInterval(positives, negatives)?.auc ?? 0;
    };
    const heldOut = split((i) => cv.heldOutLinear[i] ?? 0);
    const ideal = split((i) => linearPredictor(truth, data, i));
    expect(heldOut).toBeGreaterThan(ideal - 0.02);
    expect(heldOut).toBeLessThanOrEqual(ideal + 0.01);
  });

  it("chooses more shrinkage when a few noisy rows are all there is", () => {
    const data = syntheticLogisticData({ rows: 60, intercept: 0, weights: [0, 0, 0, 0, 0, 0], rates: [5, 5, 5, 5, 5, 5], seed: 5 });
    const cv = crossValidateRidgeLogistic(data, { folds: 5, seed: 1 });
    expect(cv.lambdas[cv.best]).toBeGreaterThanOrEqual(0.1);
  });

  it("needs both outcomes in every fold", () => {
    const data: LogisticData = { x: new Float64Array(10), y: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]), rows: 10, cols: 1 };
    expect(() => crossValidateRidgeLogistic(data, { folds: 5 })).toThrow(/at least 5 rows of each outcome/);
  });
});
