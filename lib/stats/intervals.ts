import type { SampleSummary } from "./moments";
import { studentTQuantile } from "./student-t";

export interface MeanInterval {
  mean: number;
  standardError: number;
  degreesOfFreedom: number;
  lower: number;
  upper: number;
}

/**
 * The t interval for one mean: mean ± t(1 − α/2, n − 1) · s / √n. Null with fewer than two
 * values: one value says nothing about its own uncertainty.
 */
export function meanConfidenceInterval(sample: SampleSummary, confidence = 0.95): MeanInterval | null {
  if (sample.n < 2) return null;
  const standardError = Math.sqrt(sample.variance / sample.n);
  const df = sample.n - 1;
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * standardError;
  return { mean: sample.mean, standardError, degreesOfFreedom: df, lower: sample.mean - half, upper: sample.mean + half };
}

export interface DifferenceInterval {
  /** mean(after) − mean(before): positive when the second group is higher. */
  difference: number;
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  degreesOfFreedom: number;
  tCritical: number;
  /** The t statistic, difference / standard error (±Infinity when the error is 0). */
  t: number;
  lower: number;
  upper: number;
}

/**
 * Welch's interval for the difference of two means, second minus first, without assuming
 * equal variances: SE = √(s₁²/n₁ + s₂²/n₂), with Welch–Satterthwaite degrees of freedom
 * ν = SE⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)). Null unless both groups have two values.
 */
export function welchDifferenceInterval(first: SampleSummary, second: SampleSummary, confidence = 0.95): DifferenceInterval | null {
  if (first.n < 2 || second.n < 2) return null;
  const v1 = first.variance / first.n;
  const v2 = second.variance / second.n;
  const difference = second.mean - first.mean;
  const se2 = v1 + v2;
  const standardError = Math.sqrt(se2);
  if (standardError === 0) {
    // Both groups constant: the difference is known exactly.
    const df = first.n + second.n - 2;
    const t = difference === 0 ? 0 : difference > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    return { difference, standardError: 0, degreesOfFreedom: df, tCritical: studentTQuantile(1 - (1 - confidence) / 2, df), t, lower: difference, upper: difference };
  }
  const df = (se2 * se2) / ((v1 * v1) / (first.n - 1) + (v2 * v2) / (second.n - 1));
  const tCritical = studentTQuantile(1 - (1 - confidence) / 2, df);
  return {
    difference,
    standardError,
    degreesOfFreedom: df,
    tCritical,
    t: difference / standardError,
    lower: difference - tCritical * standardError,
    upper: difference + tCritical * standardError,
  };
}
