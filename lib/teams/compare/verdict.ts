import { bootstrapInterval, bootstrapLevelAt, type BootstrapDistribution } from "../../stats/bootstrap";
import { normalQuantile } from "../../stats/normal";
import { studentTQuantile } from "../../stats/student-t";
import type { PlaceboBand } from "./placebo";

/**
 * When the before/after page may say that scores moved (docs/adr/0011-before-after-verdicts.md).
 * A comparison claims a difference only when
 *   1. both groups have at least MIN_GROUP_SIZE accounts,
 *   2. the history holds enough quiet placebo dates to measure the comparison's normal range
 *      (see normalRange; for the same accounts compared over time, quiet dates on both sides
 *      of the change, so that drift is interpolated rather than extrapolated), and
 *   3. the whole bootstrap interval of the difference lies beyond zero AND beyond that normal
 *      range, on the same side.
 * Many segments at once are judged with Holm's step-down correction.
 */

export const MIN_GROUP_SIZE = 20;
export const MIN_PLACEBO_DATES = 20;
export const MIN_PLACEBO_DATES_EACH_SIDE = 5;
export const CONFIDENCE = 0.95;

export type VerdictKind = "higher" | "lower" | "no_clear_effect" | "too_small";
/** Why a comparison could not be judged: too few accounts, or too little quiet history. */
export type TooSmallReason = "accounts" | "history";
/** Why no effect is claimed: the interval includes zero, stays within normal drift, or fails the correction for many rows. */
export type NoEffectReason = "includes_zero" | "within_drift" | "correction";

export type Judgement =
  | { kind: "too_small"; reason: TooSmallReason }
  | { kind: "no_clear_effect"; reason: NoEffectReason }
  | { kind: "higher" | "lower" };

export interface JudgeInput {
  /** The smaller group (or the number of pairs). */
  smallestGroup: number;
  distribution: BootstrapDistribution | null;
  placebo: PlaceboBand | null;
  /** The same accounts before and after: drift must be measured on both sides of the change. */
  needsBothSides: boolean;
  confidence?: number;
}

/** The standard error of a bootstrap distribution: the spread of its replicates. */
export function standardError(distribution: BootstrapDistribution): number {
  const r = distribution.replicates;
  let mean = 0;
  for (let i = 0; i < r.length; i++) mean += r[i] ?? 0;
  mean /= r.length || 1;
  let ss = 0;
  for (let i = 0; i < r.length; i++) ss += ((r[i] ?? 0) - mean) ** 2;
  return Math.sqrt(ss / Math.max(1, r.length - 1));
}

/** Enough quiet dates, and for the same accounts over time some on both sides of the change. */
function enoughDates(placebo: PlaceboBand | null, needsBothSides: boolean): placebo is PlaceboBand {
  if (!placebo || placebo.count < MIN_PLACEBO_DATES) return false;
  return !needsBothSides || (placebo.earlier >= MIN_PLACEBO_DATES_EACH_SIDE && placebo.later >= MIN_PLACEBO_DATES_EACH_SIDE);
}

export interface NormalRange {
  lower: number;
  upper: number;
  /** How much the comparison drifts between quiet dates beyond its own chance variation (SD). */
  drift: number;
}

const Z = normalQuantile(1 - (1 - CONFIDENCE) / 2);

/**
 * The range a comparison moves within when nothing changed, measured at the quiet dates:
 * around the median of their differences, ± the comparison's own chance variation (z · SE)
 * combined with the drift between dates beyond that chance, the drift widened for how few
 * independent quiet periods measure it (Student's t with k − 1 degrees of freedom, × √(1 + 1/k),
 * as for predicting one new value); never narrower than the central 95 % of the differences.
 * Quiet dates a day apart share most of their accounts and days, so only non-overlapping
 * periods count as independent. Null when the history cannot measure it: too few quiet
 * dates, none on one side for the same accounts over time, or drift with fewer than two
 * independent periods to gauge it by.
 */
export function normalRange(placebo: PlaceboBand | null, distribution: BootstrapDistribution, needsBothSides: boolean): NormalRange | null {
  if (!enoughDates(placebo, needsBothSides)) return null;
  const se = standardError(distribution);
  const drift = Math.sqrt(Math.max(0, placebo.sd * placebo.sd - se * se));
  const k = placebo.independent;
  if (drift > 0 && k < 2) return null;
  const driftHalf = drift > 0 ? studentTQuantile(1 - (1 - CONFIDENCE) / 2, k - 1) * drift * Math.sqrt(1 + 1 / k) : 0;
  const half = Math.sqrt((Z * se) ** 2 + driftHalf ** 2);
  return { lower: Math.min(placebo.lower, placebo.median - half), upper: Math.max(placebo.upper, placebo.median + half), drift };
}

/** Whether the quiet dates can calibrate this comparison (without a bootstrap: whether there are enough of them). */
export function calibrated(placebo: PlaceboBand | null, distribution: BootstrapDistribution | null, needsBothSides: boolean): boolean {
  return distribution ? normalRange(placebo, distribution, needsBothSides) !== null : enoughDates(placebo, needsBothSides);
}

/** The line a difference has to clear, per side: zero or the normal range, whichever is further out. */
export function boundaries(range: NormalRange): { higher: number; lower: number } {
  return { higher: Math.max(0, range.upper), lower: Math.min(0, range.lower) };
}

export function judge(input: JudgeInput): Judgement {
  const { distribution, placebo } = input;
  if (input.smallestGroup < MIN_GROUP_SIZE || !distribution) return { kind: "too_small", reason: "accounts" };
  const interval = bootstrapInterval(distribution, input.confidence ?? CONFIDENCE);
  if (interval.lower <= 0 && interval.upper >= 0) return { kind: "no_clear_effect", reason: "includes_zero" };
  const range = normalRange(placebo, distribution, input.needsBothSides);
  if (!range) return { kind: "too_small", reason: "history" };
  const line = boundaries(range);
  if (interval.lower > line.higher) return { kind: "higher" };
  if (interval.upper < line.lower) return { kind: "lower" };
  return { kind: "no_clear_effect", reason: "within_drift" };
}

/**
 * Two-sided p-value of "the difference is beyond normal drift", from the inverted bootstrap
 * interval: the smallest tail at which the interval still clears the line on one side.
 */
export function driftPValue(distribution: BootstrapDistribution, range: NormalRange): number {
  const line = boundaries(range);
  const above = bootstrapLevelAt(distribution, line.higher);
  const below = 1 - bootstrapLevelAt(distribution, line.lower);
  return Math.min(1, 2 * Math.min(above, below));
}

/** Whether a comparison can claim an effect at all (big enough groups, calibrated drift): Holm's family. */
export function judgeable(input: JudgeInput): boolean {
  return input.smallestGroup >= MIN_GROUP_SIZE && input.distribution !== null && normalRange(input.placebo, input.distribution, input.needsBothSides) !== null;
}

export interface HolmRow {
  input: JudgeInput;
  judgement: Judgement;
  /** The confidence level the row was finally judged at. */
  confidence: number;
}

/**
 * Holm's step-down correction over a family of comparisons (the segment rows of a table):
 * the rows that can be judged are ordered by their p-value; the k-th (from 0) of m is judged
 * at confidence 1 − α/(m − k), and once one fails, none after it may claim an effect. Rows
 * that cannot be judged (too small) are not part of the family.
 */
export function judgeWithHolm(inputs: readonly JudgeInput[], alpha = 1 - CONFIDENCE): HolmRow[] {
  const rows: HolmRow[] = inputs.map((input) => ({ input, judgement: judge(input), confidence: CONFIDENCE }));
  // The family: every row that could claim an effect at all, whatever it turns out to say.
  const family = rows
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => judgeable(row.input))
    .map(({ row, index }) => {
      const { distribution, placebo, needsBothSides } = row.input;
      const claims = row.judgement.kind === "higher" || row.judgement.kind === "lower";
      const range = distribution ? normalRange(placebo, distribution, needsBothSides) : null;
      return { row, index, p: claims && distribution && range ? driftPValue(distribution, range) : 1 };
    })
    .sort((a, b) => a.p - b.p || a.index - b.index);
  const m = family.length;
  let stopped = false;
  family.forEach(({ row }, k) => {
    const confidence = 1 - alpha / (m - k);
    row.confidence = confidence;
    const claims = row.judgement.kind === "higher" || row.judgement.kind === "lower";
    if (!claims) {
      stopped = true;
      return;
    }
    const adjusted = stopped ? null : judge({ ...row.input, confidence });
    if (adjusted && (adjusted.kind === "higher" || adjusted.kind === "lower")) {
      row.judgement = adjusted;
    } else {
      stopped = true;
      row.judgement = { kind: "no_clear_effect", reason: "correction" };
    }
  });
  return rows;
}
