/**
 * Running mean and variance (Welford's method): one pass, numerically stable even for
 * 50,000 scores in hundredths, whose plain sum of squares would exceed 2^53.
 */
export interface Moments {
  n: number;
  mean: number;
  /** Σ (x − mean)², the sum of squared deviations so far. */
  m2: number;
}

export function emptyMoments(): Moments {
  return { n: 0, mean: 0, m2: 0 };
}

/** Adds one value (mutates and returns `m`, for hot loops). */
export function addValue(m: Moments, x: number): Moments {
  m.n += 1;
  const delta = x - m.mean;
  m.mean += delta / m.n;
  m.m2 += delta * (x - m.mean);
  return m;
}

export function momentsOf(values: ArrayLike<number>): Moments {
  const m = emptyMoments();
  for (let i = 0; i < values.length; i++) addValue(m, values[i] ?? 0);
  return m;
}

/** What a two-group comparison needs to know about one group. */
export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample variance (n − 1 in the denominator); 0 when n < 2. */
  variance: number;
}

export function summarize(m: Moments): SampleSummary {
  return { n: m.n, mean: m.n === 0 ? Number.NaN : m.mean, variance: m.n < 2 ? 0 : m.m2 / (m.n - 1) };
}

/** Sample variance (n − 1 denominator); null with fewer than two values. */
export function sampleVariance(values: ArrayLike<number>): number | null {
  if (values.length < 2) return null;
  const m = momentsOf(values);
  return m.m2 / (m.n - 1);
}

export function sampleStandardDeviation(values: ArrayLike<number>): number | null {
  const v = sampleVariance(values);
  return v === null ? null : Math.sqrt(v);
}
