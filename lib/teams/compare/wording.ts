import { formatCount, formatDelta, formatInterval, formatAverage } from "../../format";
import type { EstimateFigure, PlaceboFigure, RangeFigure } from "./types";
import { MIN_GROUP_SIZE, MIN_PLACEBO_DATES, MIN_PLACEBO_DATES_EACH_SIDE, type Judgement } from "./verdict";

/** The verdicts of the before/after view in plain words, one sentence each (plus who else changed). */

export interface WordingContext {
  subject: "existing" | { cohortAge: number };
  difference: EstimateFigure | null;
  placebo: PlaceboFigure | null;
  /** The normal range the verdict was judged against (quiet dates and chance), when there is one. */
  range: RangeFigure | null;
  /** Group sizes: the pairs for paired rows, the two cohorts otherwise. */
  counts: { before: number; after: number; pairs: number | null };
  needsBothSides: boolean;
  /** Holm's family size when the row was judged in one (segments), else null. */
  correctedRows: number | null;
  changeTitle: string;
  overlapping: readonly string[];
}

function points(hundredths: number): string {
  return `${formatDelta(Math.round(hundredths))} points`;
}

function normal(ctx: WordingContext): string {
  const r = ctx.range;
  const p = ctx.placebo;
  if (!r || !p) return "";
  return `${formatInterval(r.lowerHundredths, r.upperHundredths)} points, from ${formatCount(p.dates)} quiet dates and chance`;
}

function effect(ctx: WordingContext, amount: string, direction: "higher" | "lower"): string {
  if (ctx.subject === "existing") return `Mean score ${amount} points ${direction} after the change than before`;
  return `Accounts that signed up after the change scored ${amount} points ${direction} at day ${ctx.subject.cohortAge} than those who signed up before`;
}

function tooFew(ctx: WordingContext): string {
  if (ctx.counts.pairs !== null) {
    return `Too few accounts to tell: ${formatCount(ctx.counts.pairs)} scored in both periods; at least ${MIN_GROUP_SIZE} are needed.`;
  }
  const age = ctx.subject === "existing" ? "" : ` reached day ${ctx.subject.cohortAge}`;
  return `Too few accounts to tell: ${formatCount(ctx.counts.before)} that signed up before and ${formatCount(ctx.counts.after)} after${age}; at least ${MIN_GROUP_SIZE} in each group are needed.`;
}

function tooLittleHistory(ctx: WordingContext, d: EstimateFigure): string {
  const p = ctx.placebo;
  const lead = `Too little history to tell a change of ${points(d.estimateHundredths)} (95 % interval ${formatInterval(d.lowerHundredths, d.upperHundredths)}) from normal drift: `;
  const needed = ctx.needsBothSides
    ? `the same accounts need at least ${MIN_PLACEBO_DATES_EACH_SIDE} on each side and ${MIN_PLACEBO_DATES} in all`
    : `at least ${MIN_PLACEBO_DATES} are needed`;
  if (!p || p.dates === 0) return `${lead}no quiet dates; ${needed}.`;
  const found = `${formatCount(p.dates)} quiet dates (${formatCount(p.earlier)} before the change, ${formatCount(p.later)} after)`;
  const enough = p.dates >= MIN_PLACEBO_DATES && (!ctx.needsBothSides || (p.earlier >= MIN_PLACEBO_DATES_EACH_SIDE && p.later >= MIN_PLACEBO_DATES_EACH_SIDE));
  if (enough) return `${lead}the ${found} drift by more than chance, within a single period that shares no day with another, too little to gauge the drift by.`;
  return `${lead}${found}; ${needed}.`;
}

function mainSentence(j: Judgement, ctx: WordingContext): string {
  const d = ctx.difference;
  if (j.kind === "too_small" && (j.reason === "accounts" || !d)) return tooFew(ctx);
  if (!d) return tooFew(ctx);
  if (j.kind === "too_small") return tooLittleHistory(ctx, d);
  const interval = formatInterval(d.lowerHundredths, d.upperHundredths);
  if (j.kind === "no_clear_effect") {
    if (j.reason === "includes_zero") return `No clear effect: the 95 % interval of the difference (${interval} points) includes zero.`;
    if (j.reason === "correction" && ctx.range) {
      return `No clear effect once ${ctx.correctedRows ?? 0} segments are judged together (Holm's correction): on its own the interval (${interval} points) clears the normal range (${normal(ctx)}), but not by enough for that many comparisons.`;
    }
    const range = ctx.range ? ` (${normal(ctx)})` : "";
    return `No clear effect: the difference of ${points(d.estimateHundredths)} (95 % interval ${interval}) is not clearly beyond the normal range${range}.`;
  }
  const amount = formatAverage(Math.abs(Math.round(d.estimateHundredths)));
  const drift = ctx.range ? `, beyond the normal range (${normal(ctx)})` : "";
  const holm = ctx.correctedRows && ctx.correctedRows > 1 ? ` It holds with Holm's correction for ${ctx.correctedRows} segments.` : "";
  return `${effect(ctx, amount, j.kind)} (95 % interval ${interval} points)${drift}.${holm}`;
}

function list(names: readonly string[]): string {
  const quoted = names.map((n) => `“${n}”`);
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1) ?? ""}`;
}

/** The verdict's sentence, and who else changed inside the windows. */
export function verdictText(j: Judgement, ctx: WordingContext): string {
  const main = mainSentence(j, ctx);
  if (ctx.overlapping.length === 0 || (j.kind === "too_small" && j.reason === "accounts")) return main;
  const verb = ctx.overlapping.length === 1 ? "also falls" : "also fall";
  const credit = j.kind === "higher" || j.kind === "lower" ? `, so the difference cannot be credited to “${ctx.changeTitle}” alone` : "";
  return `${main} ${list(ctx.overlapping)} ${verb} in these windows${credit}.`;
}
