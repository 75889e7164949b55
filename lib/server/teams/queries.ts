import "server-only";
import type { Database } from "@/db";
import { dayFromIsoDate, isoDateFromDay } from "@/lib/days";
import { BANDS, type Band } from "@/lib/scoring/bands";
import { engagementIndex } from "@/lib/scoring/engagement";
import { meanConfidenceInterval, welchDifferenceInterval, type DifferenceInterval } from "@/lib/stats/intervals";
import { summarize, type Moments } from "@/lib/stats/moments";
import {
  cohortMembers,
  currentSummary,
  dailySeries,
  periodMeans,
  scoreByAge,
  weeklyMeans,
  type DailySeries,
} from "@/lib/teams/aggregate";
import { allMembers, segmentMembers, type TeamsDataset } from "@/lib/teams/dataset";
import { DIMENSION_LABELS, isChronological, NOT_SET_KEY, segmentLabel, type Dimension } from "@/lib/teams/dimensions";
import { COHORT_MAX_AGE, type CompareParams, type SegmentsParams, type TrendsParams } from "@/lib/teams/params";
import type {
  BeforeAfterRow,
  CohortGroup,
  CompareData,
  GroupFigure,
  IntervalFigure,
  MarkerSummary,
  SegmentRow,
  SegmentsData,
  TrendSeries,
  TrendsData,
} from "@/lib/teams/types";
import { MIN_GROUP_SIZE, verdictFor } from "@/lib/teams/verdict";
import { listChangeMarkers } from "../markers";
import { configChangeMarkers } from "../scoring-config";
import { getScoringSettings } from "../settings";
import { getTeamsDataset, memoize, peek, PRE_AGGREGATION_NOTE } from "./dataset-cache";

export const ALL_KEY = "__all";
const SPARKLINE_STEP_DAYS = 7;

interface OrderedSegment {
  key: string;
  label: string;
  members: Int32Array;
}

/** The segments of a dimension in display order: cohorts by time, others by size; "not set" last. */
function orderedSegments(db: Database, ds: TeamsDataset, dimension: Dimension): OrderedSegment[] {
  return memoize(db, ds, `segments:${dimension}`, () => {
    const list = [...segmentMembers(ds, dimension)].map(([key, members]) => ({ key, label: segmentLabel(dimension, key), members }));
    const chronological = isChronological(dimension);
    return list.sort((a, b) => {
      if ((a.key === NOT_SET_KEY) !== (b.key === NOT_SET_KEY)) return a.key === NOT_SET_KEY ? 1 : -1;
      if (chronological) return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      return b.members.length - a.members.length || a.label.localeCompare(b.label);
    });
  });
}

function membersOf(db: Database, ds: TeamsDataset, dimension: Dimension | null, key: string): Int32Array | null {
  if (dimension === null || key === ALL_KEY) return memoize(db, ds, "members:all", () => allMembers(ds));
  return orderedSegments(db, ds, dimension).find((s) => s.key === key)?.members ?? null;
}

function seriesOf(db: Database, ds: TeamsDataset, dimension: Dimension | null, key: string, medians: boolean): DailySeries | null {
  const members = membersOf(db, ds, dimension, key);
  if (!members) return null;
  const base = `series:${dimension ?? "all"}:${key}`;
  // A series with medians serves requests without them too.
  const full = peek<DailySeries>(db, ds, `${base}:medians`);
  if (full) return full;
  if (medians) return memoize(db, ds, `${base}:medians`, () => dailySeries(ds, members, { medians: true }));
  return memoize(db, ds, `${base}:plain`, () => dailySeries(ds, members, { medians: false }));
}

/** Per-segment picture of a dimension (the /segments table). */
export function getSegments(db: Database, params: Pick<SegmentsParams, "dimension">): SegmentsData | null {
  const ds = getTeamsDataset(db);
  if (!ds) return null;
  const settings = getScoringSettings(db);
  return memoize(db, ds, `segments-data:${params.dimension}`, () => {
    const segments: SegmentRow[] = orderedSegments(db, ds, params.dimension).map(({ key, label, members }) => {
      const summary = currentSummary(ds, members);
      const series = seriesOf(db, ds, params.dimension, key, false);
      const n = summary.accounts;
      return {
        key,
        label,
        accounts: n,
        meanHundredths: summary.meanHundredths,
        medianHundredths: summary.medianHundredths,
        bandCounts: summary.bandCounts,
        notActiveYet: summary.notActiveYetCount,
        churnRiskShare: n === 0 ? 0 : summary.bandCounts.churn_risk / n,
        decliningShare: n === 0 ? 0 : summary.decliningCount / n,
        engagement: engagementIndex(summary.engagementCounts),
        sparkline: series ? weeklyMeans(series, SPARKLINE_STEP_DAYS).map(round2) : [],
      };
    });
    const weeks = Math.floor(ds.days / SPARKLINE_STEP_DAYS);
    return {
      dimension: params.dimension,
      dimensionLabel: DIMENSION_LABELS[params.dimension],
      asOfDate: isoDateFromDay(ds.asOfDay),
      sparklineStartDate: isoDateFromDay(ds.asOfDay - weeks * SPARKLINE_STEP_DAYS + 1),
      sparklineStepDays: SPARKLINE_STEP_DAYS,
      thresholds: settings.thresholds,
      decline: settings.decline,
      compareDays: settings.compareDays,
      totalAccounts: ds.count,
      overlapping: params.dimension === "tag",
      segments,
      source: PRE_AGGREGATION_NOTE,
    };
  });
}

function round2(v: number | null): number | null {
  return v === null || Number.isNaN(v) ? null : Math.round(v * 100) / 100;
}

/** Default segments for a split: the five largest (or, for cohorts, the five latest). */
function defaultSegments(segments: OrderedSegment[], dimension: Dimension): string[] {
  const real = segments.filter((s) => s.key !== NOT_SET_KEY);
  const picked = isChronological(dimension) ? real.slice(-5) : real.slice(0, 5);
  return picked.map((s) => s.key);
}

/** Daily mean, median and band mix over the chosen range, overall or per segment (/trends). */
export function getTrends(db: Database, params: TrendsParams): TrendsData | null {
  const ds = getTeamsDataset(db);
  if (!ds) return null;
  const key = `trends-data:${params.range}:${params.dimension ?? ""}:${JSON.stringify(params.segments ?? [])}`;
  return memoize(db, ds, key, () => computeTrends(db, ds, params));
}

function computeTrends(db: Database, ds: TeamsDataset, params: TrendsParams): TrendsData {
  const dimension = params.dimension ?? null;
  const segments = dimension ? orderedSegments(db, ds, dimension) : [];
  const keys = dimension ? (params.segments && params.segments.length > 0 ? params.segments : defaultSegments(segments, dimension)) : [ALL_KEY];
  const from = Math.max(0, ds.days - params.range);
  const series: TrendSeries[] = [];
  for (const key of keys) {
    const full = seriesOf(db, ds, dimension, key, true);
    if (!full) continue;
    const label = key === ALL_KEY ? "All accounts" : (segments.find((s) => s.key === key)?.label ?? key);
    series.push(sliceSeries(full, key, label, from));
  }
  return {
    rangeDays: params.range,
    startDate: isoDateFromDay(ds.startDay + from),
    endDate: isoDateFromDay(ds.asOfDay),
    dimension,
    dimensionLabel: dimension ? DIMENSION_LABELS[dimension] : null,
    available: segments.map((s) => ({ key: s.key, label: s.label, accounts: s.members.length })),
    series,
    ruleChanges: configChangeMarkers(db).map((c) => ({ date: c.date, title: `Rules v${c.version}` })),
    source: PRE_AGGREGATION_NOTE,
  };
}

function sliceSeries(full: DailySeries, key: string, label: string, from: number): TrendSeries {
  const days = full.accounts.length;
  const accounts: number[] = [];
  const mean: (number | null)[] = [];
  const median: (number | null)[] = [];
  const bands = Object.fromEntries(BANDS.map((b) => [b, [] as number[]])) as Record<Band, number[]>;
  for (let d = from; d < days; d++) {
    const n = full.accounts[d] ?? 0;
    accounts.push(n);
    mean.push(n === 0 ? null : round2((full.sum[d] ?? 0) / n));
    const m = full.median?.[d];
    median.push(m === undefined || Number.isNaN(m) ? null : m);
    BANDS.forEach((b, i) => bands[b].push(full.bands[d * 5 + i] ?? 0));
  }
  return { key, label, accounts, mean, median, bands };
}

function groupFigure(m: Moments): GroupFigure {
  const s = summarize(m);
  return { n: s.n, meanHundredths: s.n === 0 ? null : round2(s.mean), sdHundredths: s.n < 2 ? null : round2(Math.sqrt(s.variance)) };
}

function intervalFigure(i: DifferenceInterval | null): IntervalFigure | null {
  if (!i) return null;
  return {
    differenceHundredths: round2(i.difference) ?? 0,
    lowerHundredths: round2(i.lower) ?? 0,
    upperHundredths: round2(i.upper) ?? 0,
    degreesOfFreedom: Math.round(i.degreesOfFreedom * 10) / 10,
  };
}

/** Before/after of a change marker per segment, and the signup-cohort view (/trends/compare). */
export function getBeforeAfter(db: Database, params: CompareParams): CompareData | null {
  const ds = getTeamsDataset(db);
  if (!ds) return null;
  const markers = listChangeMarkers(db);
  const marker = params.marker === undefined ? (markers[0] ?? null) : (markers.find((m) => m.id === params.marker) ?? null);
  const base: CompareData = {
    marker,
    markers,
    windowDays: params.window,
    horizonDays: params.horizon,
    dimension: params.dimension,
    dimensionLabel: DIMENSION_LABELS[params.dimension],
    minGroupSize: MIN_GROUP_SIZE,
    before: null,
    after: null,
    rows: [],
    cohort: null,
    notes: [],
    source: PRE_AGGREGATION_NOTE,
  };
  if (!marker) return base;
  // The markers are part of the answer (the picker lists them): any edit makes a new key.
  const key = `compare:${marker.id}:${params.window}:${params.dimension}:${params.horizon}:${params.cohort ?? ""}:${JSON.stringify(markers)}`;
  return memoize(db, ds, key, () => computeBeforeAfter(db, ds, params, marker, base));
}

function computeBeforeAfter(db: Database, ds: TeamsDataset, params: CompareParams, marker: MarkerSummary, base: CompareData): CompareData {
  const notes: string[] = [];
  const markerDay = dayFromIsoDate(marker.date);
  const lastDay = ds.startDay + ds.days - 1;
  const beforeFrom = Math.max(markerDay - params.window, ds.startDay);
  const beforeTo = Math.min(markerDay - 1, lastDay);
  const afterFrom = Math.max(markerDay, ds.startDay);
  const afterTo = Math.min(markerDay + params.window - 1, lastDay);
  if (markerDay - params.window < ds.startDay) notes.push(`Score history starts on ${isoDateFromDay(ds.startDay)}, so the "before" period is shorter than ${params.window} days.`);
  if (markerDay + params.window - 1 > lastDay) notes.push(`The change is recent: only ${Math.max(0, afterTo - afterFrom + 1)} days of scores after it so far.`);
  if (markerDay > lastDay) notes.push("The change is in the future: there are no scores after it yet.");

  const before = beforeTo >= beforeFrom ? { from: beforeFrom - ds.startDay, to: beforeTo - ds.startDay } : null;
  const after = afterTo >= afterFrom ? { from: afterFrom - ds.startDay, to: afterTo - ds.startDay } : null;
  const period = (r: { from: number; to: number } | null) =>
    r ? { from: isoDateFromDay(ds.startDay + r.from), to: isoDateFromDay(ds.startDay + r.to), days: r.to - r.from + 1 } : null;

  const groups: { key: string; label: string; members: Int32Array }[] = [
    { key: ALL_KEY, label: "All accounts", members: membersOf(db, ds, null, ALL_KEY) ?? new Int32Array(0) },
    ...orderedSegments(db, ds, params.dimension),
  ];
  const rows: BeforeAfterRow[] = groups.map(({ key, label, members }) => {
    // The same accounts in both periods: those that existed when the "before" period began.
    const existedBy = before?.from ?? after?.from ?? 0;
    const b = before ? periodMeans(ds, members, before, existedBy) : { n: 0, mean: 0, m2: 0 };
    const a = after ? periodMeans(ds, members, after, existedBy) : { n: 0, mean: 0, m2: 0 };
    const interval = welchDifferenceInterval(summarize(b), summarize(a));
    return {
      key,
      label,
      before: groupFigure(b),
      after: groupFigure(a),
      interval: intervalFigure(interval),
      verdict: verdictFor({
        beforeCount: b.n,
        afterCount: a.n,
        interval,
        effect: (amount, direction) => `Mean score ${amount} points ${direction} after the change than before`,
      }),
    };
  });

  return {
    ...base,
    before: period(before),
    after: period(after),
    rows,
    cohort: cohortView(db, ds, params, markerDay),
    notes,
  };
}

function cohortView(db: Database, ds: TeamsDataset, params: CompareParams, markerDay: number): CompareData["cohort"] {
  const segments = orderedSegments(db, ds, params.dimension);
  const chosen = params.cohort ? segments.find((s) => s.key === params.cohort) : undefined;
  const members = chosen ? chosen.members : (membersOf(db, ds, null, ALL_KEY) ?? new Int32Array(0));
  const lastDay = ds.startDay + ds.days - 1;
  const beforeFrom = Math.max(markerDay - params.window, ds.startDay);
  const beforeTo = markerDay - 1;
  const afterFrom = markerDay;
  const afterTo = Math.min(markerDay + params.window - 1, lastDay);
  const beforeCohort = cohortMembers(ds, members, beforeFrom, beforeTo);
  const afterCohort = cohortMembers(ds, members, afterFrom, afterTo);
  const maxAge = COHORT_MAX_AGE;

  const group = (cohort: Int32Array, from: number, to: number): CohortGroup => ({
    signupFrom: isoDateFromDay(from),
    signupTo: isoDateFromDay(Math.max(from, to)),
    accounts: cohort.length,
    curve: scoreByAge(ds, cohort, maxAge).map((m) => {
      const s = summarize(m);
      const ci = meanConfidenceInterval(s);
      return {
        n: s.n,
        meanHundredths: s.n === 0 ? null : round2(s.mean),
        lowerHundredths: ci ? round2(ci.lower) : null,
        upperHundredths: ci ? round2(ci.upper) : null,
      };
    }),
  });

  const atAge = (cohort: Int32Array) => scoreByAge(ds, cohort, params.horizon)[params.horizon] ?? { n: 0, mean: 0, m2: 0 };
  const b = atAge(beforeCohort);
  const a = atAge(afterCohort);
  const interval = welchDifferenceInterval(summarize(b), summarize(a));
  return {
    segment: chosen ? { key: chosen.key, label: chosen.label } : null,
    available: segments.map((s) => ({ key: s.key, label: s.label })),
    maxAge,
    before: group(beforeCohort, beforeFrom, beforeTo),
    after: group(afterCohort, afterFrom, afterTo),
    headline: {
      age: params.horizon,
      before: groupFigure(b),
      after: groupFigure(a),
      interval: intervalFigure(interval),
      verdict: verdictFor({
        beforeCount: b.n,
        afterCount: a.n,
        interval,
        groups: ["signed up before", "signed up after"],
        effect: (amount, direction) =>
          `Accounts that signed up after the change scored ${amount} points ${direction} ${params.horizon} days after signup than those who signed up before`,
      }),
    },
  };
}
