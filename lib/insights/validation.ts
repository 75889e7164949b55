import { addDaysIso } from "../teams/dates";
import { formatCount, formatDate, formatPercent } from "../format";
import { stayed, type RenewalOutcome } from "../accounts/renewal-outcomes";
import { BAND_INFO, BANDS, bandFor, bandRangeLabel, TIER_BANDS, TIERS, tierFor, type Band, type BandThresholds, type Tier } from "../scoring/bands";
import { fitRidgeLogistic, sigmoid } from "./logistic";
import type { LeadDays } from "./params";
import { aucWithInterval, operatingPoint, rocCurve, thinCurve, type AucEstimate, type RocPoint } from "./roc";
import { wilsonInterval } from "./wilson";

/**
 * Does the score predict renewal? Given each renewal's outcome and the score the account had
 * `lead` days before it, the renewal rate per tier beside what the playbook expects of it,
 * the ranking (ROC, AUC), a calibration view and a summary in words. Pure: the server
 * gathers the renewals (lib/insights/server/insights.ts), this turns them into what the page shows.
 */

/** Why a renewal has no score: its reading day is outside the score history, or the account has none. */
export type UnscoredReason = "before_history" | "after_history" | "no_history";

export interface RenewalForValidation {
  renewalDate: string;
  outcome: RenewalOutcome;
  /** The score `lead` days before the renewal, in hundredths; null when it cannot be read. */
  scoreHundredths: number | null;
  unscored: UnscoredReason | null;
}

export interface ValidationInput {
  from: string;
  to: string;
  lead: LeadDays;
  windowDays: number;
  thresholds: BandThresholds;
  /** The first and last day of the score history (the scores' as-of day). */
  historyStartDate: string;
  asOfDate: string;
  renewals: readonly RenewalForValidation[];
}

/** What the playbook (PRODUCT.md's score bands) says of a tier, and how this page reads it as a range of renewal rates. */
export interface TierPromise {
  text: string;
  lower: number;
  upper: number;
  reads: string;
}

/** PRODUCT.md: 80–100 "historically renew often", 40–80 "about 50 % renew", 1–40 "historically very low renewal". */
export const TIER_PROMISES: Record<Tier, TierPromise> = {
  high: { text: "renew often", lower: 0.8, upper: 1, reads: "80 % or more" },
  medium: { text: "about 50 %", lower: 0.4, upper: 0.6, reads: "40–60 %" },
  low: { text: "very low", lower: 0, upper: 0.25, reads: "25 % or less" },
};

/** Below this many accounts up for renewal a rate is shown but not judged against the playbook. */
export const MIN_RENEWALS_TO_JUDGE = 20;

export type Verdict = "as_promised" | "higher" | "lower" | "too_few";

export interface RateRow {
  n: number;
  renewed: number;
  /** Null without renewals. */
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface TierRate extends RateRow {
  tier: Tier;
  label: string;
  bands: Band[];
  promise: TierPromise;
  verdict: Verdict;
}

export interface BandRate extends RateRow {
  band: Band;
  label: string;
  range: string;
}

export interface OperatingPoint {
  /** Flag every account scoring below this many points. */
  below: number;
  description: string;
  churnersCaught: number;
  renewersFlagged: number;
}

export type RankingVerdict = "strong" | "good" | "fair" | "weak" | "chance";

export interface Ranking {
  auc: AucEstimate;
  verdict: RankingVerdict;
  /** The ROC curve, thresholds in points, thinned for drawing. */
  curve: RocPoint[];
  operatingPoints: OperatingPoint[];
}

export interface CalibrationBin extends RateRow {
  /** Score range of the bin in points (inclusive) and its mean. */
  minScore: number;
  maxScore: number;
  meanScore: number;
}

export interface Calibration {
  bins: CalibrationBin[];
  /** Renewal probability by score from a logistic fit of renewal on the score (points). */
  curve: { score: number; probability: number }[];
}

export interface ValidationData {
  from: string;
  to: string;
  lead: LeadDays;
  windowDays: number;
  thresholds: BandThresholds;
  historyStartDate: string;
  asOfDate: string;
  /** Renewal dates whose score `lead` days earlier lies inside the history. */
  scorableFrom: string;
  scorableTo: string;
  totals: {
    outcomes: number;
    scored: number;
    renewed: number;
    churned: number;
    beforeHistory: number;
    afterHistory: number;
    noHistory: number;
  };
  tiers: TierRate[];
  bands: BandRate[];
  ranking: Ranking | null;
  calibration: Calibration | null;
  summary: string[];
}

function rateRow(renewed: number, n: number): RateRow {
  const interval = wilsonInterval(renewed, n);
  return { n, renewed, rate: interval?.rate ?? null, lower: interval?.lower ?? null, upper: interval?.upper ?? null };
}

export function verdictFor(row: RateRow, promise: TierPromise): Verdict {
  if (row.n < MIN_RENEWALS_TO_JUDGE || row.lower === null || row.upper === null) return "too_few";
  if (row.lower > promise.upper) return "higher";
  if (row.upper < promise.lower) return "lower";
  return "as_promised";
}

/** How the AUC reads: by its estimate, unless its interval reaches 0.5 (then: no better than chance, as far as this sample shows). */
export function rankingVerdict(auc: AucEstimate): RankingVerdict {
  if (auc.lower <= 0.5) return "chance";
  if (auc.auc >= 0.9) return "strong";
  if (auc.auc >= 0.8) return "good";
  if (auc.auc >= 0.7) return "fair";
  return "weak";
}

const RANKING_WORDS: Record<RankingVerdict, string> = {
  strong: "ranks churners below renewers very well",
  good: "ranks churners below renewers well",
  fair: "ranks churners below renewers fairly well",
  weak: "ranks churners below renewers only weakly",
  chance: "cannot be told apart from chance at ranking churners",
};

/** Equal-count bins of the scored renewals by score (3 to 10 bins, of at least 20 each), for the calibration view. */
export function calibrationBins(scored: readonly { score: number; renewed: boolean }[]): CalibrationBin[] {
  const n = scored.length;
  if (n < 60) return [];
  const count = Math.max(3, Math.min(10, Math.floor(n / 30)));
  const sorted = [...scored].sort((a, b) => a.score - b.score);
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < count; b++) {
    const slice = sorted.slice(Math.round((b * n) / count), Math.round(((b + 1) * n) / count));
    if (slice.length === 0) continue;
    const renewed = slice.filter((s) => s.renewed).length;
    const meanScore = slice.reduce((sum, s) => sum + s.score, 0) / slice.length;
    bins.push({ ...rateRow(renewed, slice.length), minScore: slice[0]?.score ?? 0, maxScore: slice.at(-1)?.score ?? 0, meanScore });
  }
  return bins;
}

/** Renewal probability by score: logistic regression of renewal on the score alone (Platt scaling). */
export function calibrationCurve(scored: readonly { score: number; renewed: boolean }[], points = 40): Calibration["curve"] {
  const renewedCount = scored.filter((s) => s.renewed).length;
  if (renewedCount === 0 || renewedCount === scored.length) return [];
  const model = fitRidgeLogistic(
    { x: Float64Array.from(scored, (s) => s.score), y: Uint8Array.from(scored, (s) => (s.renewed ? 1 : 0)), rows: scored.length, cols: 1 },
    1e-4,
  );
  const sorted = scored.map((s) => s.score).sort((a, b) => a - b);
  // The middle 98 % of scores: one far-out account should not stretch the axis.
  const lo = sorted[Math.floor(sorted.length * 0.01)] ?? 0;
  const hi = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
  if (!(hi > lo)) return [];
  return Array.from({ length: points }, (_, i) => {
    const score = lo + ((hi - lo) * i) / (points - 1);
    return { score, probability: sigmoid(model.intercept + (model.coefficients[0] ?? 0) * score) };
  });
}

function tierLabel(tier: Tier, t: BandThresholds): string {
  return tier === "high" ? `${t.highFrom} and above` : tier === "medium" ? bandRangeLabel("medium", t) : `below ${t.mediumFrom}`;
}

export function validate(input: ValidationInput): ValidationData {
  const { thresholds, lead } = input;
  const scored: { score: number; renewed: boolean; band: Band }[] = [];
  const totals = { outcomes: input.renewals.length, scored: 0, renewed: 0, churned: 0, beforeHistory: 0, afterHistory: 0, noHistory: 0 };
  for (const r of input.renewals) {
    if (r.scoreHundredths === null) {
      if (r.unscored === "before_history") totals.beforeHistory++;
      else if (r.unscored === "after_history") totals.afterHistory++;
      else totals.noHistory++;
      continue;
    }
    const score = r.scoreHundredths / 100;
    const renewed = stayed(r.outcome);
    scored.push({ score, renewed, band: bandFor(score, thresholds) });
    totals.scored++;
    if (renewed) totals.renewed++;
    else totals.churned++;
  }

  const bands: BandRate[] = BANDS.map((band) => {
    const members = scored.filter((s) => s.band === band);
    return { band, label: BAND_INFO[band].label, range: bandRangeLabel(band, thresholds), ...rateRow(members.filter((s) => s.renewed).length, members.length) };
  });
  const tiers: TierRate[] = TIERS.map((tier) => {
    const members = scored.filter((s) => tierFor(s.band) === tier);
    const row = rateRow(members.filter((s) => s.renewed).length, members.length);
    return { tier, label: tierLabel(tier, thresholds), bands: [...TIER_BANDS[tier]], promise: TIER_PROMISES[tier], ...row, verdict: verdictFor(row, TIER_PROMISES[tier]) };
  });

  const renewedScores = scored.filter((s) => s.renewed).map((s) => s.score);
  const churnedScores = scored.filter((s) => !s.renewed).map((s) => s.score);
  const auc = aucWithInterval(renewedScores, churnedScores);
  const ranking: Ranking | null = auc
    ? {
        auc,
        verdict: rankingVerdict(auc),
        curve: thinCurve(rocCurve(renewedScores, churnedScores), 200).map((p) => ({ ...p, threshold: Number.isFinite(p.threshold) ? p.threshold : -1e9 })),
        operatingPoints: [
          { below: thresholds.mediumFrom, description: `the ${bandRangeLabel("low", thresholds)} list (and churn risk)` },
          { below: thresholds.highFrom, description: `everything below ${thresholds.highFrom}` },
        ].flatMap(({ below, description }) => {
          const point = operatingPoint(renewedScores, churnedScores, below);
          return point ? [{ below, description, ...point }] : [];
        }),
      }
    : null;
  const bins = calibrationBins(scored);
  const calibration: Calibration | null = bins.length > 0 ? { bins, curve: calibrationCurve(scored) } : null;

  const data: ValidationData = {
    from: input.from,
    to: input.to,
    lead,
    windowDays: input.windowDays,
    thresholds,
    historyStartDate: input.historyStartDate,
    asOfDate: input.asOfDate,
    scorableFrom: addDaysIso(input.historyStartDate, lead),
    scorableTo: addDaysIso(input.asOfDate, lead),
    totals,
    tiers,
    bands,
    ranking,
    calibration,
    summary: [],
  };
  data.summary = summarise(data);
  return data;
}

const percent = (x: number | null) => (x === null ? "—" : formatPercent(x));

/** The page's plain-language summary: what was measured, how well it held, and how sure we can be. */
export function summarise(data: ValidationData): string[] {
  const { totals, lead } = data;
  const lines: string[] = [];
  const period = `${formatDate(data.from)} – ${formatDate(data.to)}`;
  if (totals.outcomes === 0) {
    lines.push(`No renewal outcomes are recorded for ${period}. Send them with the outcomes API, Segment group traits or a CSV import.`);
    return lines;
  }
  const unscored = totals.beforeHistory + totals.afterHistory + totals.noHistory;
  lines.push(
    `Of ${formatCount(totals.outcomes)} account${totals.outcomes === 1 ? "" : "s"} up for renewal between ${period}, ${formatCount(totals.scored)} could be scored ${lead} days before the renewal date; ${formatCount(totals.renewed)} of those renewed and ${formatCount(totals.churned)} churned (${percent(totals.scored > 0 ? totals.churned / totals.scored : null)}).`,
  );
  if (unscored > 0) {
    const parts: string[] = [];
    if (totals.beforeHistory > 0) parts.push(`${formatCount(totals.beforeHistory)} came up for renewal before ${formatDate(data.scorableFrom)}, when the score ${lead} days earlier lies before the 12 months of score history`);
    if (totals.afterHistory > 0) parts.push(`${formatCount(totals.afterHistory)} come up for renewal after ${formatDate(data.scorableTo)}, so their score ${lead} days before is not known yet`);
    if (totals.noHistory > 0) parts.push(`${formatCount(totals.noHistory)} belong to accounts without a score history`);
    lines.push(`${formatCount(unscored)} could not be scored and are left out: ${parts.join("; ")}.`);
  }
  if (totals.scored === 0) return lines;

  const ranking = data.ranking;
  if (ranking) {
    const { auc } = ranking;
    lines.push(
      `The score ${RANKING_WORDS[ranking.verdict]}: a renewer outscored a churner in ${formatPercent(auc.auc)} of pairs (AUC ${auc.auc.toFixed(2)}, 95 % interval ${auc.lower.toFixed(2)}–${auc.upper.toFixed(2)}; 0.5 is a coin toss).`,
    );
  } else {
    lines.push(totals.churned === 0 ? "No scored account churned, so there is nothing to rank yet." : "Every scored account churned, so there is nothing to rank yet.");
  }

  const judged = data.tiers.filter((t) => t.verdict !== "too_few");
  const phrase = (t: TierRate) => {
    const rate = `${percent(t.rate)} (${percent(t.lower)}–${percent(t.upper)})`;
    switch (t.verdict) {
      case "as_promised":
        return `${t.label}: ${rate} renewed, in line with the playbook's "${t.promise.text}"`;
      case "higher":
        return `${t.label}: ${rate} renewed, more than the playbook's "${t.promise.text}"`;
      case "lower":
        return `${t.label}: ${rate} renewed, less than the playbook's "${t.promise.text}"`;
      case "too_few":
        return `${t.label}: only ${formatCount(t.n)} up for renewal, too few to judge`;
    }
  };
  lines.push(`By tier — ${data.tiers.map(phrase).join("; ")}.`);
  const [high, medium, low] = data.tiers;
  const [hr, mr, lr] = [high?.rate ?? null, medium?.rate ?? null, low?.rate ?? null];
  if (hr !== null && mr !== null && lr !== null && judged.length === 3) {
    lines.push(
      hr > mr && mr > lr
        ? "Renewal rates rise from tier to tier, as the score's bands mean them to."
        : "Renewal rates do not rise from tier to tier: the bands do not order accounts by their chance of renewing here.",
    );
  }
  if (totals.churned < 20 || totals.scored < 100) {
    lines.push(
      `With ${formatCount(totals.scored)} scored accounts up for renewal and ${formatCount(totals.churned)} churns, every figure here is rough: read the intervals, not the dots, and look again as more outcomes arrive.`,
    );
  } else {
    lines.push(`Intervals are 95 % intervals (Wilson for rates, DeLong for the AUC); tiers with fewer than ${MIN_RENEWALS_TO_JUDGE} accounts up for renewal are shown but not judged.`);
  }
  return lines;
}
