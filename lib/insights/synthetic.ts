import { Random } from "../demo/prng";
import { sigmoid, type LogisticData } from "./logistic";

/**
 * Outcomes generated from known weights, for the test that the fit recovers them and for the
 * benchmark: per-type event counts (Poisson, with each account's own activity level so the
 * counts are correlated, as real usage is), then y ~ Bernoulli(σ(b + Σ β_j x_j)).
 */
export interface SyntheticSpec {
  rows: number;
  intercept: number;
  /** True coefficient of each column (event type), per event. */
  weights: readonly number[];
  /** Mean count of each column for an account of activity 1. */
  rates: readonly number[];
  seed: number;
}

export function syntheticLogisticData(spec: SyntheticSpec): LogisticData {
  const cols = spec.weights.length;
  if (spec.rates.length !== cols) throw new RangeError("one rate per weight");
  const random = new Random(spec.seed);
  const x = new Float64Array(spec.rows * cols);
  const y = new Uint8Array(spec.rows);
  for (let i = 0; i < spec.rows; i++) {
    const activity = random.logNormal(0, 0.5);
    let eta = spec.intercept;
    for (let j = 0; j < cols; j++) {
      const count = random.poisson((spec.rates[j] ?? 0) * activity);
      x[i * cols + j] = count;
      eta += (spec.weights[j] ?? 0) * count;
    }
    y[i] = random.next() < sigmoid(eta) ? 1 : 0;
  }
  return { x, y, rows: spec.rows, cols };
}
