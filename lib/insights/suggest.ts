import { MAX_ABS_WEIGHT } from "../scoring/points";
import { crossValidateRidgeLogistic, DEFAULT_LAMBDAS, type LogisticData } from "./logistic";
import { aucWithInterval, pairedAucDifference, type AucDifference, type AucEstimate } from "./roc";
import { Z_95 } from "./wilson";

/**
 * Suggested weights: a ridge logistic regression of renewal on the per-event-type counts in
 * the scoring window `lead` days before each renewal, with λ chosen by 5-fold
 * cross-validation. Pure; the server gathers the counts (lib/insights/server/insights.ts).
 *
 * What loading would change. Only clear effects are proposed: an event type keeps its
 * weight when nobody had it in the window (no data), when the 95 % interval of its effect
 * includes zero (unclear), when it is inactive, or when the data point the other way from
 * the sign its weight has now ("data disagrees": a risk signal the fit would make positive,
 * or a positive event it would make negative — in usage data that is mostly confounding,
 * e.g. only active accounts can escalate a complaint, and the sign is the admin's call).
 *
 * From log-odds to points, in two steps.
 * 1. The proposed effects β_t (log-odds per event) become points with the factor p that puts
 *    the fitted model on the current score's footing: least squares through zero of the
 *    current scores on the model's linear predictor over these renewals (p = Σ c·l / Σ l²),
 *    or, when the model runs against the current order, the ratio of their spreads. Kept
 *    types keep their weights c_t.
 * 2. The whole configuration is then multiplied by one factor k so that the mean score over
 *    every account (their counts in today's scoring window, mean count m_t of each type) is
 *    what it is now:
 *
 *        k · ( Σ_{proposed} p·β_t·m_t + Σ_{kept} c_t·m_t ) = Σ_t c_t·m_t
 *
 *    A common factor changes no account's rank, so the ranking is step 1's; and the scores
 *    keep their scale, so the bands keep about their sizes. Kept weights keep their sign and
 *    their proportions to each other (each is multiplied by k). When every weight is 0 today
 *    (a new installation) there is no mean to keep, and k puts the average account in the
 *    middle of the medium band instead. When no positive k exists, nothing is offered.
 *
 * Whether to offer it. The weights loading would set are scored on accounts they were not
 * fitted on (each fold with the fit without it, through step 1 with its own p), and their
 * AUC is compared with the current score's on the same renewals (paired DeLong). The
 * suggestion is offered only when that difference's 95 % interval lies above zero.
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

/** What loading the suggestion does with an event type. */
export type WeightVerdict = "proposed" | "no_data" | "unclear" | "disagrees" | "inactive";

export interface SuggestedWeight extends SuggestionType {
  verdict: WeightVerdict;
  /** The weight loading would set: the rescaled fit when proposed, the current weight otherwise. */
  suggestedHundredths: number;
  /** The rescaled fit whatever the verdict (for "data disagrees": where the data point), in hundredths. */
  fittedHundredths: number;
  /** Change of the log-odds of renewing per event (before rescaling). */
  logOddsPerEvent: number;
  /** Approximate standard error of logOddsPerEvent (lib/insights/logistic.ts, coefficientStandardErrors). */
  logOddsStandardError: number;
}

/** What the common factor k keeps (see above). */
export type ScaleRule = "mean" | "band_middle";

export interface SuggestionScale {
  /** Step 1: points per unit of log-odds, and how it was chosen. */
  pointsPerLogOdds: number;
  pointsMethod: "least_squares" | "spread";
  /** Step 2: the factor every weight is multiplied by, and what it keeps. */
  factor: number;
  rule: ScaleRule;
}

/** Why a suggestion is or is not offered for loading. */
export type SuggestionOffer = "load" | "not_better" | "nothing_to_load" | "no_scale";

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
      offer: SuggestionOffer;
      /** How the fit became points; null when no positive factor keeps the scale (or nothing is proposed). */
      scale: SuggestionScale | null;
      /** The mean score over all accounts now, and with the weights loading would set (equal by construction), in points. */
      meanScore: { current: number; suggested: number | null };
      lambda: number;
      folds: number;
      /** AUC of the current score on these renewals (the weights were not fitted to them). */
      currentAuc: AucEstimate;
      /** AUC of the weights loading would set, on held-out accounts; null when nothing can be loaded. */
      suggestedAuc: AucEstimate | null;
      /** Suggested minus current, paired on the same renewals (DeLong). */
      difference: AucDifference | null;
    };

export interface ScaleContext {
  /** Mean count of each type per account in the current scoring window, over every account (order of `types`). */
  meanCounts: ArrayLike<number>;
  /** The medium band, for the scale of a first configuration (all current weights 0). */
  mediumFrom: number;
  highFrom: number;
}

function roundHundredths(points: number): number {
  const h = Math.round(points * 100);
  return Math.max(-MAX_ABS_WEIGHT * 100, Math.min(MAX_ABS_WEIGHT * 100, h));
}

/** A type's current weight in points as it counts now (0 when inactive). */
function effectivePoints(type: SuggestionType): number {
  return type.active ? type.weightHundredths / 100 : 0;
}

/** Step 1's factor: least squares through zero of current on suggested scores, else matching spread. */
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

/**
 * Step 2's factor k (see the module comment): the current mean score over the mean score the
 * step-1 weights would give, or the middle of the medium band over it when the current mean
 * is not positive. Null when no positive, finite k exists.
 */
export function scaleKeepingMean(
  types: readonly SuggestionType[],
  proposed: readonly boolean[],
  logOdds: ArrayLike<number>,
  pointsPerLogOdds: number,
  context: ScaleContext,
): { factor: number; rule: ScaleRule } | null {
  let currentMean = 0;
  let stepOneMean = 0;
  types.forEach((type, t) => {
    const m = context.meanCounts[t] ?? 0;
    currentMean += effectivePoints(type) * m;
    stepOneMean += (proposed[t] ? pointsPerLogOdds * (logOdds[t] ?? 0) : effectivePoints(type)) * m;
  });
  const rule: ScaleRule = currentMean > 0 ? "mean" : "band_middle";
  const target = rule === "mean" ? currentMean : (context.mediumFrom + context.highFrom) / 2;
  const factor = target / stepOneMean;
  return Number.isFinite(factor) && factor > 0 ? { factor, rule } : null;
}

/** The weight, in points, loading would set for a type (before rounding). */
function loadedPoints(type: SuggestionType, proposed: boolean, logOdds: number, scale: SuggestionScale): number {
  if (proposed) return scale.factor * scale.pointsPerLogOdds * logOdds;
  // Inactive types count for nothing: their weight is left exactly as it is.
  return type.active ? scale.factor * effectivePoints(type) : type.weightHundredths / 100;
}

function verdictFor(type: SuggestionType, varies: boolean, beta: number, standardError: number): WeightVerdict {
  if (!varies) return "no_data";
  if (Math.abs(beta) < Z_95 * standardError) return "unclear";
  if (!type.active) return "inactive";
  if ((type.weightHundredths < 0 && beta > 0) || (type.weightHundredths > 0 && beta < 0)) return "disagrees";
  return "proposed";
}

export function suggestWeights(rows: readonly RenewalCounts[], types: readonly SuggestionType[], context: ScaleContext, options: { seed?: number } = {}): Suggestion {
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
  const verdicts = types.map((type, t) => verdictFor(type, Boolean(varies[t]), beta[t] ?? 0, cv.standardErrors[t] ?? 0));
  const proposed = verdicts.map((v) => v === "proposed");
  const currentScores = rows.map((r) => r.currentScore);
  const linearOf = (coefficients: ArrayLike<number>) => {
    const linear = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      let l = 0;
      for (let t = 0; t < cols; t++) l += (coefficients[t] ?? 0) * (x[i * cols + t] ?? 0);
      linear[i] = l;
    }
    return linear;
  };
  const points = rescaleFactor(currentScores, linearOf(beta));
  const keeping = proposed.some(Boolean) ? scaleKeepingMean(types, proposed, beta, points.scale, context) : null;
  const scale: SuggestionScale | null = keeping ? { pointsPerLogOdds: points.scale, pointsMethod: points.method, ...keeping } : null;

  const weights: SuggestedWeight[] = types.map((type, t) => {
    const b = beta[t] ?? 0;
    return {
      ...type,
      verdict: verdicts[t] ?? "no_data",
      fittedHundredths: scale ? roundHundredths(scale.factor * scale.pointsPerLogOdds * b) : type.weightHundredths,
      suggestedHundredths: scale ? roundHundredths(loadedPoints(type, Boolean(proposed[t]), b, scale)) : type.weightHundredths,
      logOddsPerEvent: b,
      logOddsStandardError: cv.standardErrors[t] ?? 0,
    };
  });

  const split = (score: (i: number) => number) => {
    const positives: number[] = [];
    const negatives: number[] = [];
    rows.forEach((r, i) => (r.renewed ? positives : negatives).push(score(i)));
    return { positives, negatives };
  };
  const current = split((i) => rows[i]?.currentScore ?? 0);
  const currentAuc = aucWithInterval(current.positives, current.negatives);
  if (!currentAuc) return { status: "too_few", renewed, churned, needed: MIN_EACH_OUTCOME };

  const meanOf = (weightOf: (t: number) => number) => types.reduce((sum, _, t) => sum + weightOf(t) * (context.meanCounts[t] ?? 0), 0);
  const base = {
    status: "ok" as const,
    renewed,
    churned,
    weights,
    scale,
    lambda: cv.lambdas[cv.best] ?? 0,
    folds: cv.folds,
    currentAuc,
  };
  const currentMean = meanOf((t) => effectivePoints(types[t] ?? { key: "", label: "", weightHundredths: 0, active: false }));
  if (!scale) {
    const offer: SuggestionOffer = proposed.some(Boolean) ? "no_scale" : "nothing_to_load";
    return { ...base, offer, meanScore: { current: currentMean, suggested: null }, suggestedAuc: null, difference: null };
  }

  // The weights loading would set, scored on held-out accounts: each fold by the fit without
  // it, through step 1 with its own factor (step 2's common factor changes no rank). Step 1
  // uses the current scores, never the outcomes, so it may look at every row.
  const foldPoints = cv.foldModels.map((model) => rescaleFactor(currentScores, linearOf(model.coefficients)).scale);
  const heldOut = split((i) => {
    const f = cv.fold[i] ?? 0;
    const model = cv.foldModels[f];
    let score = 0;
    for (let t = 0; t < cols; t++) {
      const type = types[t];
      if (!type) continue;
      const count = x[i * cols + t] ?? 0;
      score += count * (proposed[t] && model ? (foldPoints[f] ?? scale.pointsPerLogOdds) * (model.coefficients[t] ?? 0) : effectivePoints(type));
    }
    return score;
  });
  const suggestedAuc = aucWithInterval(heldOut.positives, heldOut.negatives);
  const difference = pairedAucDifference(current, heldOut);
  const offer: SuggestionOffer = difference && difference.lower > 0 ? "load" : "not_better";
  const suggestedMean = meanOf((t) => (weights[t]?.active ? (weights[t]?.suggestedHundredths ?? 0) / 100 : 0));
  return { ...base, offer, meanScore: { current: currentMean, suggested: suggestedMean }, suggestedAuc, difference };
}
