import { MAX_ABS_WEIGHT } from "../scoring/points";
import { crossValidateRidgeLogistic, DEFAULT_LAMBDAS, sigmoid, type LogisticData } from "./logistic";
import { aucWithInterval, pairedAucDifference, type AucDifference, type AucEstimate } from "./roc";
import { Z_95 } from "./wilson";

/**
 * Suggested weights: a ridge logistic regression of renewal on the per-event-type counts in
 * the scoring window `lead` days before each renewal, with λ chosen by 5-fold
 * cross-validation, its coefficients rescaled to the score's points. Pure; the server
 * gathers the counts (lib/server/insights.ts).
 *
 * Rescaling. The regression gives log-odds per event (β_t); a score needs points. Any
 * positive multiple s·β ranks accounts the same way, so s is chosen to keep the bands
 * meaningful: the s that makes the suggested scores Σ s·β_t·n_t as close as possible to the
 * current scores on these renewals (least squares through zero, s = Σ c·l / Σ l², with l the
 * suggested score at s = 1). Accounts then land in the same bands as today, except where the
 * regression says the current weights misjudge them. When that s is not positive (the
 * regression disagrees with the current order altogether) s matches the spread instead
 * (s = sd(c) / sd(l)).
 */
export interface RenewalCounts {
  /** 1 renewed (renewed, expanded, contracted), 0 churned. */
  renewed: boolean;
  /** Count of each event type in the window, in the order of `types`. */
  counts: Float64Array;
  /** The account's score at that time with the current configuration, in points. */
  currentScore: number;
}

export interface SuggestionType {
  key: string;
  label: string;
  weightHundredths: number;
  active: boolean;
}

export interface SuggestedWeight extends SuggestionType {
  suggestedHundredths: number;
  /** Change of the log-odds of renewing per event (before rescaling). */
  logOddsPerEvent: number;
  /** No account had any of this event in its window (or all had the same number): the current weight is kept. */
  noData: boolean;
  /** Approximate standard error of logOddsPerEvent (lib/insights/logistic.ts, coefficientStandardErrors). */
  logOddsStandardError: number;
  /**
   * The 95 % interval of logOddsPerEvent includes 0: the data cannot tell whether this event
   * goes with renewing or with churning. Loading the suggestion keeps the current weight.
   */
  directionUnclear: boolean;
}

/** Fewer renewals or churns than this and no weights are suggested. */
export const MIN_EACH_OUTCOME = 10;
export const SUGGESTION_FOLDS = 5;

export type Suggestion =
  | { status: "too_few"; renewed: number; churned: number; needed: number }
  | {
      status: "ok";
      renewed: number;
      churned: number;
      weights: SuggestedWeight[];
      /** Points per unit of log-odds (s above). */
      scale: number;
      scaleMethod: "least_squares" | "spread";
      lambda: number;
      folds: number;
      /** AUC of the current score on these renewals (the weights were not fitted to them). */
      currentAuc: AucEstimate;
      /** AUC of the suggestion on held-out accounts: each scored by a model fitted without its fold. */
      suggestedAuc: AucEstimate;
      /** Suggested minus current, paired on the same renewals (DeLong). */
      difference: AucDifference | null;
      /** Estimated renewal probability at a few scores under the suggested weights. */
      probabilityAt: { score: number; probability: number }[];
    };

function roundHundredths(points: number): number {
  const h = Math.round(points * 100);
  return Math.max(-MAX_ABS_WEIGHT * 100, Math.min(MAX_ABS_WEIGHT * 100, h));
}

/** The rescaling factor: least squares through zero of current on suggested scores, else matching spread. */
export function rescaleFactor(current: ArrayLike<number>, linear: ArrayLike<number>): { scale: number; method: "least_squares" | "spread" } {
  let cl = 0;
  let ll = 0;
  const n = current.length;
  let meanC = 0;
  let meanL = 0;
  for (let i = 0; i < n; i++) {
    const c = current[i] ?? 0;
    const l = linear[i] ?? 0;
    cl += c * l;
    ll += l * l;
    meanC += c / n;
    meanL += l / n;
  }
  if (ll > 0 && cl > 0) return { scale: cl / ll, method: "least_squares" };
  let vc = 0;
  let vl = 0;
  for (let i = 0; i < n; i++) {
    vc += ((current[i] ?? 0) - meanC) ** 2;
    vl += ((linear[i] ?? 0) - meanL) ** 2;
  }
  return { scale: vl > 0 && vc > 0 ? Math.sqrt(vc / vl) : 1, method: "spread" };
}

export function suggestWeights(rows: readonly RenewalCounts[], types: readonly SuggestionType[], options: { seed?: number; scores?: number[] } = {}): Suggestion {
  const renewed = rows.filter((r) => r.renewed).length;
  const churned = rows.length - renewed;
  if (renewed < MIN_EACH_OUTCOME || churned < MIN_EACH_OUTCOME) return { status: "too_few", renewed, churned, needed: MIN_EACH_OUTCOME };

  const cols = types.length;
  const x = new Float64Array(rows.length * cols);
  const y = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    x.set(r.counts.subarray(0, cols), i * cols);
    y[i] = r.renewed ? 1 : 0;
  });
  const data: LogisticData = { x, y, rows: rows.length, cols };
  const cv = crossValidateRidgeLogistic(data, { folds: SUGGESTION_FOLDS, lambdas: DEFAULT_LAMBDAS, seed: options.seed ?? 1 });
  const beta = cv.model.coefficients;

  // Which types the data say anything about: some variation in their counts.
  const varies = types.map((_, t) => {
    let first: number | null = null;
    for (let i = 0; i < rows.length; i++) {
      const v = x[i * cols + t] ?? 0;
      if (first === null) first = v;
      else if (v !== first) return true;
    }
    return false;
  });

  const linear = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    let l = 0;
    for (let t = 0; t < cols; t++) l += (beta[t] ?? 0) * (x[i * cols + t] ?? 0);
    linear[i] = l;
  }
  const { scale, method } = rescaleFactor(
    rows.map((r) => r.currentScore),
    linear,
  );

  const weights: SuggestedWeight[] = types.map((type, t) => ({
    ...type,
    logOddsPerEvent: beta[t] ?? 0,
    noData: !varies[t],
    logOddsStandardError: cv.standardErrors[t] ?? 0,
    directionUnclear: Boolean(varies[t]) && Math.abs(beta[t] ?? 0) < Z_95 * (cv.standardErrors[t] ?? 0),
    suggestedHundredths: varies[t] ? roundHundredths(scale * (beta[t] ?? 0)) : type.weightHundredths,
  }));

  const split = (score: (i: number) => number) => {
    const positives: number[] = [];
    const negatives: number[] = [];
    rows.forEach((r, i) => (r.renewed ? positives : negatives).push(score(i)));
    return { positives, negatives };
  };
  const current = split((i) => rows[i]?.currentScore ?? 0);
  const heldOut = split((i) => cv.heldOutLinear[i] ?? 0);
  const currentAuc = aucWithInterval(current.positives, current.negatives);
  const suggestedAuc = aucWithInterval(heldOut.positives, heldOut.negatives);
  if (!currentAuc || !suggestedAuc) return { status: "too_few", renewed, churned, needed: MIN_EACH_OUTCOME };

  // P(renew) at a suggested score S: σ(b + S / s), the intercept on the log-odds scale.
  const probabilityAt = (options.scores ?? [0, 40, 80]).map((score) => ({ score, probability: sigmoid(cv.model.intercept + score / scale) }));

  return {
    status: "ok",
    renewed,
    churned,
    weights,
    scale,
    scaleMethod: method,
    lambda: cv.lambdas[cv.best] ?? 0,
    folds: cv.folds,
    currentAuc,
    suggestedAuc,
    difference: pairedAucDifference(current, heldOut),
    probabilityAt,
  };
}
