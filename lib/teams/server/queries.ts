import "server-only";
import type { Db } from "@/db/client";
import { isoDateFromDay } from "@/lib/days";
import { BANDS, type Band } from "@/lib/scoring/bands";
import { engagementIndex } from "@/lib/scoring/engagement";
import { closedDailySeries, currentSummary, weeklyMeans, withToday, type DailySeries } from "@/lib/teams/aggregate";
import { allMembers, segmentMembers, type TeamsDataset } from "@/lib/teams/dataset";
import { DIMENSION_LABELS, isChronological, NOT_SET_KEY, segmentLabel, type Dimension } from "@/lib/teams/dimensions";
import type { SegmentsParams, TrendsParams } from "@/lib/teams/params";
import type { SegmentRow, SegmentsData, TrendSeries, TrendsData } from "@/lib/teams/types";
import { loadConfigChangeMarkers } from "@/lib/scoring/server/scoring-config";
import { loadScoringSettings } from "@/lib/scoring/server/settings";
import { getTeamsDataset, memoize, memoizeClosed, peek, PRE_AGGREGATION_NOTE } from "./dataset-cache";

export const ALL_KEY = "__all";
const SPARKLINE_STEP_DAYS = 7;

export interface OrderedSegment {
  key: string;
  label: string;
  members: Int32Array;
}

/** The segments of a dimension in display order: cohorts by time, others by size; "not set" last. */
export function orderedSegments(db: Db, ds: TeamsDataset, dimension: Dimension): OrderedSegment[] {
  return memoizeClosed(db, ds, `segments:${dimension}`, () => {
    const list = [...segmentMembers(ds, dimension)].map(([key, members]) => ({ key, label: segmentLabel(dimension, key), members }));
    const chronological = isChronological(dimension);
    return list.sort((a, b) => {
      if ((a.key === NOT_SET_KEY) !== (b.key === NOT_SET_KEY)) return a.key === NOT_SET_KEY ? 1 : -1;
      if (chronological) return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      return b.members.length - a.members.length || a.label.localeCompare(b.label);
    });
  });
}

export function membersOf(db: Db, ds: TeamsDataset, dimension: Dimension | null, key: string): Int32Array | null {
  if (dimension === null || key === ALL_KEY) return memoizeClosed(db, ds, "members:all", () => allMembers(ds));
  return orderedSegments(db, ds, dimension).find((s) => s.key === key)?.members ?? null;
}

function seriesOf(db: Db, ds: TeamsDataset, dimension: Dimension | null, key: string, medians: boolean): DailySeries | null {
  const members = membersOf(db, ds, dimension, key);
  if (!members) return null;
  const base = `series:${dimension ?? "all"}:${key}`;
  // A series with medians serves requests without them too.
  const full = peek<DailySeries>(db, ds, `${base}:medians`);
  if (full) return full;
  const kind = medians ? "medians" : "plain";
  // The year before today is computed once a day (or when segments change); today's column per change.
  const closed = memoizeClosed(db, ds, `${base}:${kind}`, () => closedDailySeries(ds, members, { medians }));
  return memoize(db, ds, `${base}:${kind}`, () => withToday(closed, ds, members));
}

/** Per-segment picture of a dimension (the /segments table). */
export async function getSegments(db: Db, params: Pick<SegmentsParams, "dimension">): Promise<SegmentsData | null> {
  const ds = await getTeamsDataset(db);
  if (!ds) return null;
  const settings = await loadScoringSettings(db);
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

export function round2(v: number | null): number | null {
  return v === null || Number.isNaN(v) ? null : Math.round(v * 100) / 100;
}

/** Default segments for a split: the five largest (or, for cohorts, the five latest). */
function defaultSegments(segments: OrderedSegment[], dimension: Dimension): string[] {
  const real = segments.filter((s) => s.key !== NOT_SET_KEY);
  const picked = isChronological(dimension) ? real.slice(-5) : real.slice(0, 5);
  return picked.map((s) => s.key);
}

/** Daily mean, median and band mix over the chosen range, overall or per segment (/trends). */
export async function getTrends(db: Db, params: TrendsParams): Promise<TrendsData | null> {
  const ds = await getTeamsDataset(db);
  if (!ds) return null;
  const ruleChanges = (await loadConfigChangeMarkers(db)).map((c) => ({ date: c.date, title: `Rules v${c.version}` }));
  // The rule versions are part of the answer: a newly applied one makes a new key.
  const key = `trends-data:${params.range}:${params.dimension ?? ""}:${JSON.stringify(params.segments ?? [])}:${JSON.stringify(ruleChanges)}`;
  return memoize(db, ds, key, () => computeTrends(db, ds, params, ruleChanges));
}

function computeTrends(db: Db, ds: TeamsDataset, params: TrendsParams, ruleChanges: TrendsData["ruleChanges"]): TrendsData {
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
    ruleChanges,
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
