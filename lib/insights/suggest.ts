import { MAX_ABS_WEIGHT } from "../scoring/points";
import { crossValidateRidgeLogistic, DEFAULT_LAMBDAS, type LogisticData } from "./logistic";
import { aucWithInterval, pairedAucDifference, type AucDifference, type AucEstimate } from "./roc";
import { Z_95 } from "./wilson";

/**
 * Suggested weights: a ridge logistic regression of renewal on the per-event-type counts in
 * the scoring window `lead` days before each renewal, with λ chosen by 5-fold
 * cross-validation. Pure; the server gathers the counts (lib/server/insights.ts).
 *
 * What loading would change. Only clear effects are proposed: an event type keeps its
 * current weight when nobody had it in the window (no data), when the 95 % interval of its
 * effect includes zero (unclear), when it is inactive, or when the data point the other way
 * from the sign its weight has now ("data disagrees": a risk signal the fit would make
 * positive, or a positive event it would make negative — in usage data that is mostly
 * confounding, e.g. only active accounts can escalate a complaint, and the sign is the
 * admin's call, not the regression's).
 *
 * Keeping the score's scale. A score is Σ w·n with no intercept, so the fitted log-odds β can
 * only be turned into points by one positive factor s (points per unit of log-odds). s is
 * chosen so that the average account keeps its score: over every account's counts in the
 * current scoring window (mean count m_t of each type), the loaded weights give the same mean
 * score as the current ones:
 *
 *     Σ_{t proposed} s·β_t·m_t + Σ_{t kept} c_t·m_t = Σ_t c_t·m_t   ⇒   s = Σ_P c_t·m_t / Σ_P β_t·m_t
 *
 * (c_t the current weight in points, 0 when inactive). The overall mean score therefore does
 * not move, and the bands keep about their sizes: accounts move between bands where the
 * outcomes say the current weights misjudge them, not because the scale changed. When the
 * current mean is not positive (a new installation whose weights are all 0) there is no scale
 * to keep, and s puts the average account in the middle of the medium band instead. When no
 * positive s can do either, nothing is offered.
 *
 * Whether to offer it. The weights loading would set are scored on accounts they were not
 * fitted on (each fold by the fit without it, with its own s), and their AUC is compared with
 * the current score's on the same renewals (paired DeLong). The suggestion is offered only
 * when that difference's 95 % interval lies above zero.
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

/** How the points-per-log-odds factor was chosen (see above). */
export type ScaleRule = "mean" | "band_middle";

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
      /** Points per unit of log-odds, and the rule that chose it; null when no positive factor keeps the scale. */
      scale: { factor: number; rule: ScaleRule } | null;
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

/**
 * The factor s that keeps the mean score (see the module comment): s = (target − kept) / Σ_P β·m,
 * with target the current mean score, or the middle of the medium band when that is not
 * positive. Null when no positive, finite s exists.
 */
export function scaleKeepingMean(
  types: readonly SuggestionType[],
  proposed: readonly boolean[],
  logOdds: ArrayLike<number>,
  context: ScaleContext,
): { factor: number; rule: ScaleRule } | null {
  let currentMean = 0;
  let keptMean = 0;
  let proposedLogOdds = 0;
  types.forEach((type, t) => {
    const m = context.meanCounts[t] ?? 0;
    const points = effectivePoints(type) * m;
    currentMean += points;
    if (proposed[t]) proposedLogOdds += (logOdds[t] ?? 0) * m;
    else keptMean += points;
  });
  const rule: ScaleRule = currentMean > 0 ? "mean" : "band_middle";
  const target = rule === "mean" ? currentMean : (context.mediumFrom + context.highFrom) / 2;
  const factor = (target - keptMean) / proposedLogOdds;
  return Number.isFinite(factor) && factor > 0 ? { factor, rule } : null;
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
  const scale = proposed.some(Boolean) ? scaleKeepingMean(types, proposed, beta, context) : null;

  const weights: SuggestedWeight[] = types.map((type, t) => {
    const fittedHundredths = scale ? roundHundredths(scale.factor * (beta[t] ?? 0)) : type.weightHundredths;
    return {
      ...type,
      verdict: verdicts[t] ?? "no_data",
      fittedHundredths,
      suggestedHundredths: proposed[t] ? fittedHundredths : type.weightHundredths,
      logOddsPerEvent: beta[t] ?? 0,
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
  // it, rescaled by its own factor (the full fit's when a fold's cannot keep the mean).
  const foldScale = cv.foldModels.map((model) => scaleKeepingMean(types, proposed, model.coefficients, context)?.factor ?? scale.factor);
  const heldOut = split((i) => {
    const f = cv.fold[i] ?? 0;
    const model = cv.foldModels[f];
    let score = 0;
    for (let t = 0; t < cols; t++) {
      const count = x[i * cols + t] ?? 0;
      const type = types[t];
      if (!type) continue;
      score += count * (proposed[t] && model ? (foldScale[f] ?? scale.factor) * (model.coefficients[t] ?? 0) : effectivePoints(type));
    }
    return score;
  });
  const suggestedAuc = aucWithInterval(heldOut.positives, heldOut.negatives);
  const difference = pairedAucDifference(current, heldOut);
  const offer: SuggestionOffer = difference && difference.lower > 0 ? "load" : "not_better";
  const suggestedMean = meanOf((t) => (weights[t]?.active ? (weights[t]?.suggestedHundredths ?? 0) / 100 : 0));
  return { ...base, offer, meanScore: { current: currentMean, suggested: suggestedMean }, suggestedAuc, difference };
}
