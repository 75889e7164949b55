import type { SampleSummary } from "./moments";
import { studentTQuantile } from "./student-t";

export interface MeanInterval {
  mean: number;
  standardError: number;
  degreesOfFreedom: number;
  lower: number;
  upper: number;
}

const T_QUANTILES = new Map<string, number>();

/** Student's t quantile, remembered: a cohort curve asks for the same few hundred (p, ν) pairs again and again. */
function tQuantileCached(p: number, df: number): number {
  const key = `${p}|${df}`;
  let q = T_QUANTILES.get(key);
  if (q === undefined) {
    q = studentTQuantile(p, df);
    if (T_QUANTILES.size < 10_000) T_QUANTILES.set(key, q);
  }
  return q;
}

/**
 * The t interval for one mean: mean ± t(1 − α/2, n − 1) · s / √n. Null with fewer than two
 * values: one value says nothing about its own uncertainty.
 */
export function meanConfidenceInterval(sample: SampleSummary, confidence = 0.95): MeanInterval | null {
  if (sample.n < 2) return null;
  const standardError = Math.sqrt(sample.variance / sample.n);
  const df = sample.n - 1;
  const half = tQuantileCached(1 - (1 - confidence) / 2, df) * standardError;
  return { mean: sample.mean, standardError, degreesOfFreedom: df, lower: sample.mean - half, upper: sample.mean + half };
}
