import { isoDateFromDay } from "../../days";
import { bootstrapInterval, bootstrapMean, bootstrapMeanDifference, bootstrapMedian, bootstrapMedianDifference, type BootstrapDistribution } from "../../stats/bootstrap";
import type { TeamsDataset } from "../dataset";
import { cohortPlaceboDifferences, cohortScoresAtAge } from "./cohort";
import { pairedChanges, pairedPlaceboMeans } from "./existing";
import { changesWithin, comparisonPeriods, comparisonSpan, dayRuns, placeboBand, quietPlaceboDates, type DayRange, type KnownChange, type PlaceboBand } from "./placebo";
import type { ComparisonFigure, Design, EstimateFigure, GroupFigure, PlaceboDates, PlaceboFigure } from "./types";
import { calibrated, CONFIDENCE, judge, judgeable, judgeWithHolm, MIN_GROUP_SIZE, normalRange, type Judgement, type JudgeInput } from "./verdict";
import { verdictText, type WordingContext } from "./wording";

/**
 * The before/after analysis, pure over a TeamsDataset: existing accounts per segment (paired)
 * and new accounts by signup cohort (unpaired), each with its seeded bootstrap intervals, its
 * placebo dates and its verdict. The server memoises the results (lib/teams/server/compare.ts);
 * the calibration tests run exactly this code on generated companies.
 */

export const BOOTSTRAP_RESAMPLES = 2000;

export interface CompareInput {
  ds: TeamsDataset;
  /** The change being judged. */
  change: { day: number; title: string };
  window: number;
  horizon: number;
  /** Every other known change: other markers and new versions of the scoring rules. */
  otherChanges: readonly KnownChange[];
  resamples?: number;
}

export interface RowInput {
  key: string;
  label: string;
  members: Int32Array;
}

/** A stable seed per comparison (FNV-1a), so a page and its API always show the same interval. */
function seedFor(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join("|")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function groupFigure(values: Float64Array): GroupFigure {
  if (values.length === 0) return { n: 0, meanHundredths: null, medianHundredths: null };
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const median = n % 2 === 1 ? (sorted[n >> 1] ?? 0) : ((sorted[n / 2 - 1] ?? 0) + (sorted[n / 2] ?? 0)) / 2;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { n, meanHundredths: round2(sum / n), medianHundredths: round2(median) };
}

function estimateOf(dist: BootstrapDistribution | null): EstimateFigure | null {
  if (!dist) return null;
  const interval = bootstrapInterval(dist);
  return { estimateHundredths: round2(dist.estimate), lowerHundredths: round2(interval.lower), upperHundredths: round2(interval.upper) };
}

function placeboFigure(band: PlaceboBand | null): PlaceboFigure | null {
  if (!band) return null;
  return {
    dates: band.count,
    earlier: band.earlier,
    later: band.later,
    lowerHundredths: round2(band.lower),
    upperHundredths: round2(band.upper),
    medianHundredths: round2(band.median),
    differencesHundredths: Array.from(band.differences, (d) => Math.round(d)),
  };
}

function placeboDates(days: readonly number[]): PlaceboDates {
  return { count: days.length, runs: dayRuns(days).map((r) => ({ from: isoDateFromDay(r.from), to: isoDateFromDay(r.to) })) };
}

interface Assembled {
  key: string;
  label: string;
  design: Design;
  before: Float64Array;
  after: Float64Array;
  unpaired: number;
  mean: BootstrapDistribution | null;
  median: BootstrapDistribution | null;
  band: PlaceboBand | null;
  judge: JudgeInput;
}

function figureOf(row: Assembled, judgement: Judgement, judgedAt: number, context: Omit<WordingContext, "difference" | "placebo" | "range" | "counts">): ComparisonFigure {
  const difference = estimateOf(row.mean);
  const placebo = placeboFigure(row.band);
  const range = row.mean ? normalRange(row.band, row.mean, row.judge.needsBothSides) : null;
  const normal = range ? { lowerHundredths: round2(range.lower), upperHundredths: round2(range.upper) } : null;
  const pairs = row.design === "paired" ? row.before.length : null;
  const text = verdictText(judgement, { ...context, difference, placebo, range: normal, counts: { before: row.before.length, after: row.after.length, pairs } });
  return {
    key: row.key,
    label: row.label,
    design: row.design,
    before: groupFigure(row.before),
    after: groupFigure(row.after),
    unpaired: row.unpaired,
    meanDifference: difference,
    medianDifference: estimateOf(row.median),
    placebo,
    normalRange: normal,
    calibrated: calibrated(row.band, row.mean, row.judge.needsBothSides),
    verdict: {
      kind: judgement.kind,
      reason: "reason" in judgement ? judgement.reason : null,
      text,
      overlapping: [...context.overlapping],
    },
    judgedAt,
  };
}

/** Day offsets of the periods before and after the change, clipped to the history (null when empty). */
function periods(ds: TeamsDataset, day: number, window: number) {
  const { before, after } = comparisonPeriods(day, window, historyOf(ds));
  const offsets = (range: DayRange | null) => (range ? { from: range.from - ds.startDay, to: range.to - ds.startDay } : null);
  return { before: offsets(before), after: offsets(after) };
}

/** The days a dataset holds scores for, inclusive. */
export function historyOf(ds: TeamsDataset): DayRange {
  return { from: ds.startDay, to: ds.startDay + ds.days - 1 };
}

/**
 * Existing accounts, paired: each account scored throughout both periods contributes its
 * own change. "All accounts" (the first row) is one comparison; the segments are judged
 * together with Holm's correction. Drift is calibrated at quiet dates on both sides.
 */
export function compareExisting(input: CompareInput, rows: readonly RowInput[]) {
  const { ds, change, window } = input;
  const resamples = input.resamples ?? BOOTSTRAP_RESAMPLES;
  const overlapping = changesWithin(input.otherChanges, comparisonSpan(change.day, window, 0));
  const quiet = quietPlaceboDates({
    firstDay: ds.startDay,
    lastDay: ds.startDay + ds.days - 1,
    window,
    followUp: 0,
    changeDays: [change.day, ...input.otherChanges.map((c) => c.day)],
  });
  const placebo = pairedPlaceboMeans(ds, rows.map((r) => r.members), window, quiet.map((d) => d - ds.startDay), MIN_GROUP_SIZE);
  const { before, after } = periods(ds, change.day, window);
  const assembled: Assembled[] = rows.map((row, r) => {
    const paired = before && after ? pairedChanges(ds, row.members, before, after) : null;
    const changes = paired?.changes ?? new Float64Array(0);
    const big = changes.length >= MIN_GROUP_SIZE;
    const seed = seedFor("existing", change.day, window, row.key);
    const band = placeboBand(quiet, placebo[r] ?? [], change.day, 2 * window);
    return {
      key: row.key,
      label: row.label,
      design: "paired",
      before: paired?.before ?? new Float64Array(0),
      after: paired?.after ?? new Float64Array(0),
      unpaired: paired?.unpaired ?? 0,
      mean: big ? bootstrapMean(changes, { resamples, seed }) : null,
      median: big ? bootstrapMedian(changes, { resamples, seed }) : null,
      band,
      judge: { smallestGroup: changes.length, distribution: null, placebo: band, needsBothSides: true },
    };
  });
  for (const row of assembled) row.judge.distribution = row.mean;

  const [all, ...segments] = assembled;
  const holm = judgeWithHolm(segments.map((s) => s.judge));
  const correctedRows = segments.filter((s) => judgeable(s.judge)).length;
  const names = overlapping.map((c) => c.label);
  const context = { subject: "existing" as const, needsBothSides: true, changeTitle: change.title, overlapping: names };
  const figures: ComparisonFigure[] = [];
  if (all) figures.push(figureOf(all, judge(all.judge), CONFIDENCE, { ...context, correctedRows: null }));
  segments.forEach((row, i) => {
    const h = holm[i];
    if (h) figures.push(figureOf(row, h.judgement, h.confidence, { ...context, correctedRows }));
  });
  return { rows: figures, placeboDates: placeboDates(quiet), correctedRows, overlapping };
}

/**
 * New accounts, unpaired: the score on day `horizon` since signup of the accounts that signed
 * up in the `window` days before the change against those that signed up in the `window`
 * days from it. Placebo dates follow every account to that age, with no change on the way.
 */
export function compareCohort(input: CompareInput, members: Int32Array, label: string) {
  const { ds, change, window, horizon } = input;
  const resamples = input.resamples ?? BOOTSTRAP_RESAMPLES;
  const last = ds.startDay + ds.days - 1;
  const overlapping = changesWithin(input.otherChanges, comparisonSpan(change.day, window, horizon));
  const quiet = quietPlaceboDates({
    firstDay: ds.startDay,
    lastDay: last,
    window,
    followUp: horizon,
    changeDays: [change.day, ...input.otherChanges.map((c) => c.day)],
  });
  const before = cohortScoresAtAge(ds, members, change.day - window, change.day - 1, horizon);
  const after = cohortScoresAtAge(ds, members, change.day, Math.min(change.day + window - 1, last), horizon);
  const big = before.length >= MIN_GROUP_SIZE && after.length >= MIN_GROUP_SIZE;
  const seed = seedFor("cohort", change.day, window, horizon, label);
  const band = placeboBand(quiet, cohortPlaceboDifferences(ds, members, window, horizon, quiet, MIN_GROUP_SIZE), change.day, 2 * window + horizon);
  const mean = big ? bootstrapMeanDifference(before, after, { resamples, seed }) : null;
  const row: Assembled = {
    key: "cohort",
    label,
    design: "unpaired",
    before,
    after,
    unpaired: 0,
    mean,
    median: big ? bootstrapMedianDifference(before, after, { resamples, seed }) : null,
    band,
    judge: { smallestGroup: Math.min(before.length, after.length), distribution: mean, placebo: band, needsBothSides: false },
  };
  const figure = figureOf(row, judge(row.judge), CONFIDENCE, {
    subject: { cohortAge: horizon },
    needsBothSides: false,
    correctedRows: null,
    changeTitle: change.title,
    overlapping: overlapping.map((c) => c.label),
  });
  return { headline: figure, placeboDates: placeboDates(quiet), overlapping };
}
