import { formatPointsExact } from "../format";
import type { AucDifference } from "./roc";
import type { SuggestedWeight, Suggestion } from "./suggest";

/** What the Insights page says about a suggestion, in words (see lib/insights/suggest.ts for the rules). */
type Fitted = Extract<Suggestion, { status: "ok" }>;

/** Two decimals, three where two would round a non-zero difference to "0.00". */
function signed(x: number): string {
  const digits = x !== 0 && Math.abs(x) < 0.005 ? 3 : 2;
  return `${x >= 0 ? "+" : "\u2212"}${Math.abs(x).toFixed(digits)}`;
}

/** "+0.05, 95 % interval +0.02 to +0.08" */
export function differenceText(d: AucDifference): string {
  return `${signed(d.difference)}, 95 % interval ${signed(d.lower)} to ${signed(d.upper)}`;
}

/** Whether the suggestion is offered for loading, and why. */
export function offerText(s: Pick<Fitted, "offer" | "difference">): string {
  const held = s.difference ? ` (${differenceText(s.difference)})` : "";
  switch (s.offer) {
    case "load":
      return `The suggested weights rank renewals better than the current ones on accounts they were not fitted on${held}. Worth a preview.`;
    case "not_better":
      return `The suggested weights do not rank renewals better than the current ones on accounts they were not fitted on${held}, so they are not offered for loading. Keep the current weights, or change only what you have other reasons for.`;
    case "nothing_to_load":
      return "No event's effect is clear enough, in the direction its weight already has, to propose a change in this period. Nothing is offered for loading.";
    case "no_scale":
      return "The clear effects point so strongly against the current weights that no rescaling keeps the average score where it is, so nothing is offered for loading. Review the weights marked below yourself.";
  }
}

/** How the suggestion keeps the score's scale. */
export function scaleText(s: Pick<Fitted, "scale" | "meanScore">): string | null {
  if (!s.scale) return null;
  const factor = s.scale.factor.toFixed(2);
  if (s.scale.rule === "mean") {
    return `The suggested weights are scaled so that the average account keeps its score: the mean score over all accounts stays at ${formatPointsExact(
      Math.round(s.meanScore.current * 100),
    )}. For that, every weight is multiplied by ${factor}, the kept ones too: they keep their sign and their proportions to each other.`;
  }
  return `Every weight is 0 today, so there is no scale to keep: the suggested weights are scaled so that the average account scores ${formatPointsExact(
    Math.round((s.meanScore.suggested ?? 0) * 100),
  )}, the middle of the medium band.`;
}

/** Why a weight is kept, for its table row. */
export function keptNote(w: Pick<SuggestedWeight, "verdict" | "fittedHundredths">): string {
  switch (w.verdict) {
    case "proposed":
      return "";
    case "no_data":
      return "No account had this event in its window: the weight is kept (times the common factor).";
    case "unclear":
      return "The 95 % interval of this event's effect includes zero: loading keeps the weight (times the common factor).";
    case "inactive":
      return "This event does not count towards the score: loading leaves it as it is.";
    case "disagrees":
      return `The renewals point the other way from this weight's sign (fitted: ${formatPointsExact(w.fittedHundredths)} points). In usage data that is mostly confounding, so the weight is kept (times the common factor): whether it is a risk signal is your call.`;
  }
}
