import { Z_95 } from "./wilson";

/**
 * How well a score separates two groups: the ROC curve, the area under it and DeLong's
 * variance of that area (DeLong, DeLong & Clarke-Pearson 1988, "Comparing the areas under two
 * or more correlated receiver operating characteristic curves", Biometrics 44:837–845), with
 * the structural components computed from mid-ranks (Sun & Xu 2014, "Fast implementation of
 * DeLong's algorithm", IEEE Signal Processing Letters 21:1389–1393).
 *
 * Here the "positives" are accounts that renewed and the "negatives" accounts that churned; a
 * useful score puts renewers above churners. AUC = P(score of a renewer > score of a churner)
 * + ½ P(tie): 0.5 is a coin toss, 1 a perfect ranking.
 */

/** 1-based mid-ranks of `values` (ties share the mean of their ranks). */
export function midRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    const v = values[order[i] ?? 0] ?? 0;
    while (j + 1 < n && (values[order[j + 1] ?? 0] ?? 0) === v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] ?? 0] = rank;
    i = j + 1;
  }
  return ranks;
}

/** DeLong's placement values: V10 per positive, V01 per negative; their means are the AUC. */
interface Placements {
  auc: number;
  v10: Float64Array;
  v01: Float64Array;
}

function placements(positives: ArrayLike<number>, negatives: ArrayLike<number>): Placements {
  const m = positives.length;
  const n = negatives.length;
  const combined = new Float64Array(m + n);
  for (let i = 0; i < m; i++) combined[i] = positives[i] ?? 0;
  for (let j = 0; j < n; j++) combined[m + j] = negatives[j] ?? 0;
  const all = midRanks(combined);
  const withinPositives = midRanks(positives);
  const withinNegatives = midRanks(negatives);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let sum = 0;
  // Negatives below positive i (ties counting ½) = its rank among all − its rank among positives.
  for (let i = 0; i < m; i++) {
    v10[i] = ((all[i] ?? 0) - (withinPositives[i] ?? 0)) / n;
    sum += v10[i] ?? 0;
  }
  // Positives above negative j = m − (positives below it) = m − (rank among all − rank among negatives).
  for (let j = 0; j < n; j++) v01[j] = 1 - ((all[m + j] ?? 0) - (withinNegatives[j] ?? 0)) / m;
  return { auc: sum / m, v10, v01 };
}

function covariance(a: Float64Array, meanA: number, b: Float64Array, meanB: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] ?? 0) - meanA) * ((b[i] ?? 0) - meanB);
  return s / (a.length - 1);
}

export interface AucEstimate {
  auc: number;
  /** DeLong's standard error of the AUC (0 when a group has a single member). */
  standardError: number;
  /** 95 % interval: AUC ± z·SE, cut to [0, 1] (as pROC's ci.auc(method = "delong")). */
  lower: number;
  upper: number;
  positives: number;
  negatives: number;
}

/**
 * The AUC of a score that should rank positives above negatives, with DeLong's variance
 * S10/m + S01/n (S10, S01: sample variances of the placement values). Null unless both
 * groups have at least one member.
 */
export function aucWithInterval(positives: ArrayLike<number>, negatives: ArrayLike<number>, z = Z_95): AucEstimate | null {
  const m = positives.length;
  const n = negatives.length;
  if (m === 0 || n === 0) return null;
  const { auc, v10, v01 } = placements(positives, negatives);
  const s10 = m > 1 ? covariance(v10, auc, v10, auc) : 0;
  const s01 = n > 1 ? covariance(v01, auc, v01, auc) : 0;
  const standardError = Math.sqrt(s10 / m + s01 / n);
  return { auc, standardError, lower: Math.max(0, auc - z * standardError), upper: Math.min(1, auc + z * standardError), positives: m, negatives: n };
}

export interface AucDifference {
  /** AUC(b) − AUC(a). */
  difference: number;
  standardError: number;
  lower: number;
  upper: number;
}

/**
 * The difference between the AUCs of two scores on the SAME cases (paired DeLong test): the
 * covariance of the two AUCs comes from the covariances of their placement values, so the
 * interval is much narrower than two independent intervals would suggest. Both scores list
 * the positives, then the negatives, in the same order.
 */
export function pairedAucDifference(
  a: { positives: ArrayLike<number>; negatives: ArrayLike<number> },
  b: { positives: ArrayLike<number>; negatives: ArrayLike<number> },
  z = Z_95,
): AucDifference | null {
  const m = a.positives.length;
  const n = a.negatives.length;
  if (m !== b.positives.length || n !== b.negatives.length) throw new RangeError("paired scores must cover the same cases");
  if (m < 2 || n < 2) return null;
  const pa = placements(a.positives, a.negatives);
  const pb = placements(b.positives, b.negatives);
  const variance = (x: Placements, y: Placements) => covariance(x.v10, x.auc, y.v10, y.auc) / m + covariance(x.v01, x.auc, y.v01, y.auc) / n;
  const v = variance(pa, pa) + variance(pb, pb) - 2 * variance(pa, pb);
  const standardError = Math.sqrt(Math.max(0, v));
  const difference = pb.auc - pa.auc;
  return { difference, standardError, lower: difference - z * standardError, upper: difference + z * standardError };
}

export interface RocPoint {
  /** Flag accounts scoring at or below this (−Infinity: flag none). */
  threshold: number;
  /** Share of churners (negatives) flagged: the true-positive rate of churn detection. */
  churnersCaught: number;
  /** Share of renewers (positives) flagged as well: the false-positive rate. */
  renewersFlagged: number;
}

/**
 * The ROC curve of churn detection: flag every account at or below a threshold; for each
 * distinct score from the lowest up, the share of churners caught against the share of
 * renewers flagged with them. Starts at (0, 0) and ends at (1, 1); the area under it is the
 * AUC of aucWithInterval.
 */
export function rocCurve(positives: ArrayLike<number>, negatives: ArrayLike<number>): RocPoint[] {
  const m = positives.length;
  const n = negatives.length;
  if (m === 0 || n === 0) return [];
  const pos = Float64Array.from(positives).sort();
  const neg = Float64Array.from(negatives).sort();
  const points: RocPoint[] = [{ threshold: Number.NEGATIVE_INFINITY, churnersCaught: 0, renewersFlagged: 0 }];
  let i = 0;
  let j = 0;
  while (i < m || j < n) {
    const next = Math.min(i < m ? (pos[i] ?? 0) : Number.POSITIVE_INFINITY, j < n ? (neg[j] ?? 0) : Number.POSITIVE_INFINITY);
    while (i < m && pos[i] === next) i++;
    while (j < n && neg[j] === next) j++;
    points.push({ threshold: next, churnersCaught: j / n, renewersFlagged: i / m });
  }
  return points;
}

/**
 * At most `maxPoints` points of a curve for drawing: evenly spaced along it, always keeping
 * the first and last. A curve with fewer points is returned as it is.
 */
export function thinCurve<T>(points: readonly T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return [...points];
  const out: T[] = [];
  const step = (points.length - 1) / (maxPoints - 1);
  for (let k = 0; k < maxPoints; k++) {
    const p = points[Math.round(k * step)];
    if (p !== undefined) out.push(p);
  }
  return out;
}

/** Churners caught and renewers flagged when every account scoring below `threshold` is flagged. */
export function operatingPoint(positives: ArrayLike<number>, negatives: ArrayLike<number>, threshold: number): { churnersCaught: number; renewersFlagged: number } | null {
  if (positives.length === 0 || negatives.length === 0) return null;
  let caught = 0;
  for (let j = 0; j < negatives.length; j++) if ((negatives[j] ?? 0) < threshold) caught++;
  let flagged = 0;
  for (let i = 0; i < positives.length; i++) if ((positives[i] ?? 0) < threshold) flagged++;
  return { churnersCaught: caught / negatives.length, renewersFlagged: flagged / positives.length };
}
