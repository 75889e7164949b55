import { Random } from "../demo/prng";
import { normalCdf, normalQuantile } from "./normal";

/**
 * Seeded bootstrap intervals for heavy-tailed data (engagement scores: a few accounts score
 * in the hundreds), following Efron & Tibshirani, "An Introduction to the Bootstrap" (1993),
 * ch. 13–14, with the conventions of SciPy's `scipy.stats.bootstrap` so that the two can be
 * checked against each other (lib/stats/bootstrap.test.ts):
 *
 * - means and differences of means: BCa (bias-corrected and accelerated) intervals; the
 *   acceleration comes from the jackknife, which for a mean has a closed form;
 * - medians and differences of medians: percentile intervals (the jackknife, hence BCa's
 *   acceleration, is unreliable for a median). The bootstrap median is drawn exactly from
 *   the order statistics (a resample's median is the value at rank ⌊n·U₍ₖ₎⌋ with
 *   U₍ₖ₎ ~ Beta(k, n + 1 − k)), so it costs O(1) per resample instead of O(n);
 * - quantiles of the replicates are interpolated linearly (type 7, SciPy's default).
 *
 * The same data, seed and number of resamples always give the same interval.
 */

export type BootstrapMethod = "bca" | "percentile";

export interface BootstrapOptions {
  resamples: number;
  seed: number;
}

/** The bootstrap distribution of a statistic, ready for intervals at any level. */
export interface BootstrapDistribution {
  /** The statistic on the data itself. */
  estimate: number;
  /** The statistic on each resample, sorted ascending. */
  replicates: Float64Array;
  method: BootstrapMethod;
  /** BCa's bias correction ẑ₀ and acceleration â (both 0 for a percentile interval). */
  biasCorrection: number;
  acceleration: number;
}

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * mulberry32 (the same generator as lib/demo/prng.ts), inlined: the resampling loops draw
 * n × resamples indexes (90 M for 45,000 accounts), where a method call per draw doubles the
 * cost. Fills `out` with the mean of each resample of `values`.
 */
function resampleMeans(values: Float64Array, resamples: number, seed: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(resamples);
  let state = seed >>> 0;
  const scale = n / 4294967296;
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      sum += values[(((t ^ (t >>> 14)) >>> 0) * scale) | 0] ?? 0;
    }
    out[b] = sum / n;
  }
  return out;
}

function mean(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] ?? 0;
  return s / values.length;
}

/** Σ (x − x̄)² and Σ (x − x̄)³: the jackknife influence of a mean is x − x̄ exactly. */
function centralSums(values: Float64Array): { s2: number; s3: number } {
  const m = mean(values);
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < values.length; i++) {
    const u = (values[i] ?? 0) - m;
    s2 += u * u;
    s3 += u * u * u;
  }
  return { s2, s3 };
}

/** ẑ₀ = Φ⁻¹(share of replicates below the estimate, ties counted half), as SciPy does. */
function biasCorrection(sorted: Float64Array, estimate: number): number {
  const B = sorted.length;
  let below = 0;
  let atOrBelow = 0;
  for (let i = 0; i < B; i++) {
    const r = sorted[i] ?? 0;
    if (r < estimate) below++;
    if (r <= estimate) atOrBelow++;
  }
  // An estimate outside every replicate would make ẑ₀ infinite; keep it finite.
  const share = Math.min(Math.max((below + atOrBelow) / (2 * B), 1 / (2 * B)), 1 - 1 / (2 * B));
  return normalQuantile(share);
}

function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}

function requireValues(values: Float64Array, name: string): void {
  if (values.length === 0) throw new RangeError(`${name} needs at least one value`);
}

/** Mixes a seed with a stream number so that two groups never share a random stream. */
function streamSeed(seed: number, stream: number): number {
  let h = Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13) ^ stream, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** BCa distribution of the mean of one sample. */
export function bootstrapMean(values: Float64Array, options: BootstrapOptions): BootstrapDistribution {
  requireValues(values, "bootstrapMean");
  const estimate = mean(values);
  const replicates = resampleMeans(values, options.resamples, streamSeed(options.seed, 1)).sort();
  const { s2, s3 } = centralSums(values);
  return {
    estimate,
    replicates,
    method: "bca",
    biasCorrection: biasCorrection(replicates, estimate),
    acceleration: s2 === 0 ? 0 : s3 / (6 * Math.pow(s2, 1.5)),
  };
}

/**
 * BCa distribution of mean(second) − mean(first), the two groups resampled independently.
 * The acceleration is SciPy's multi-sample jackknife formula:
 * â = Σⱼ Σᵢ Uⱼᵢ³ / nⱼ³ / (6 (Σⱼ Σᵢ Uⱼᵢ² / nⱼ²)^{3/2}), with Uⱼᵢ = x − x̄ in the second group
 * and −(x − x̄) in the first (leaving one out moves the difference the other way).
 */
export function bootstrapMeanDifference(first: Float64Array, second: Float64Array, options: BootstrapOptions): BootstrapDistribution {
  requireValues(first, "bootstrapMeanDifference (first group)");
  requireValues(second, "bootstrapMeanDifference (second group)");
  const estimate = mean(second) - mean(first);
  const a = resampleMeans(first, options.resamples, streamSeed(options.seed, 1));
  const b = resampleMeans(second, options.resamples, streamSeed(options.seed, 2));
  for (let i = 0; i < b.length; i++) b[i] = (b[i] ?? 0) - (a[i] ?? 0);
  const replicates = b.sort();
  const f = centralSums(first);
  const s = centralSums(second);
  const n1 = first.length;
  const n2 = second.length;
  const numerator = s.s3 / n2 ** 3 - f.s3 / n1 ** 3;
  const denominator = s.s2 / n2 ** 2 + f.s2 / n1 ** 2;
  return {
    estimate,
    replicates,
    method: "bca",
    biasCorrection: biasCorrection(replicates, estimate),
    acceleration: denominator === 0 ? 0 : numerator / (6 * Math.pow(denominator, 1.5)),
  };
}

/** Marsaglia & Tsang's gamma sampler, for shape ≥ 1. */
function gamma(random: Random, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = random.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random.next();
    if (Math.log(1 - u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The median of each of `resamples` bootstrap resamples of `sorted`, drawn exactly from the
 * order statistics: the k-th smallest of n uniform indexes is ⌊n·U₍ₖ₎⌋, U₍ₖ₎ ~ Beta(k, n+1−k),
 * and given U₍ₖ₎ = u the next one is u + (1 − u)(1 − V^{1/(n−k)}).
 */
function resampleMedians(sorted: Float64Array, resamples: number, seed: number): Float64Array {
  const n = sorted.length;
  const out = new Float64Array(resamples);
  const random = new Random(seed);
  const k = n % 2 === 1 ? (n + 1) / 2 : n / 2;
  const at = (u: number) => sorted[Math.min(n - 1, Math.floor(n * u))] ?? 0;
  for (let b = 0; b < resamples; b++) {
    const x = gamma(random, k);
    const u = x / (x + gamma(random, n + 1 - k));
    if (n % 2 === 1) {
      out[b] = at(u);
    } else {
      const next = u + (1 - u) * (1 - Math.pow(1 - random.next(), 1 / (n - k)));
      out[b] = (at(u) + at(next)) / 2;
    }
  }
  return out;
}

/** Percentile distribution of the median of one sample. */
export function bootstrapMedian(values: Float64Array, options: BootstrapOptions): BootstrapDistribution {
  requireValues(values, "bootstrapMedian");
  const sorted = sortedCopy(values);
  const replicates = resampleMedians(sorted, options.resamples, streamSeed(options.seed, 3)).sort();
  return { estimate: medianOfSorted(sorted), replicates, method: "percentile", biasCorrection: 0, acceleration: 0 };
}

/** Percentile distribution of median(second) − median(first), the groups resampled independently. */
export function bootstrapMedianDifference(first: Float64Array, second: Float64Array, options: BootstrapOptions): BootstrapDistribution {
  requireValues(first, "bootstrapMedianDifference (first group)");
  requireValues(second, "bootstrapMedianDifference (second group)");
  const a = sortedCopy(first);
  const b = sortedCopy(second);
  const ma = resampleMedians(a, options.resamples, streamSeed(options.seed, 3));
  const mb = resampleMedians(b, options.resamples, streamSeed(options.seed, 4));
  for (let i = 0; i < mb.length; i++) mb[i] = (mb[i] ?? 0) - (ma[i] ?? 0);
  return { estimate: medianOfSorted(b) - medianOfSorted(a), replicates: mb.sort(), method: "percentile", biasCorrection: 0, acceleration: 0 };
}

/** The p-quantile of sorted values, interpolated linearly between order statistics (type 7). */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const a = sorted[lo] ?? 0;
  const b = sorted[Math.min(lo + 1, n - 1)] ?? a;
  return a + (h - lo) * (b - a);
}

/** Where in the replicates the interval's bound for lower-tail level α sits (α itself for percentile). */
function adjustedLevel(dist: BootstrapDistribution, alpha: number): number {
  if (dist.method === "percentile") return alpha;
  const z0 = dist.biasCorrection;
  const w = z0 + normalQuantile(alpha);
  return normalCdf(z0 + w / (1 - dist.acceleration * w));
}

/** The two-sided interval at `confidence` (0.95: the 2.5 % and 97.5 % bounds). */
export function bootstrapInterval(dist: BootstrapDistribution, confidence = 0.95): Interval {
  const tail = (1 - confidence) / 2;
  return {
    lower: quantileOfSorted(dist.replicates, adjustedLevel(dist, tail)),
    upper: quantileOfSorted(dist.replicates, adjustedLevel(dist, 1 - tail)),
  };
}

/**
 * The lower-tail level α at which the interval's bound equals `boundary` (BCa inverted):
 * a lower bound clears `boundary` at every tail level above α, an upper bound stays below it
 * at every tail level under 1 − α... so α is the one-sided p-value of "the statistic is at
 * most `boundary`", and 1 − α that of "at least `boundary`".
 */
export function bootstrapLevelAt(dist: BootstrapDistribution, boundary: number): number {
  const B = dist.replicates.length;
  let below = 0;
  let atOrBelow = 0;
  for (let i = 0; i < B; i++) {
    const r = dist.replicates[i] ?? 0;
    if (r < boundary) below++;
    if (r <= boundary) atOrBelow++;
  }
  const share = (below + atOrBelow) / (2 * B);
  if (dist.method === "percentile" || share <= 0 || share >= 1) return share;
  // Solve Φ(z₀ + w / (1 − â·w)) = share for w = z₀ + z_α.
  const z0 = dist.biasCorrection;
  const delta = normalQuantile(share) - z0;
  const w = delta / (1 + dist.acceleration * delta);
  return normalCdf(w - z0);
}
