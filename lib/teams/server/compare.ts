import "server-only";
import type { Db } from "@/db/client";
import { dayFromIsoDate, isoDateFromDay } from "@/lib/days";
import { meanConfidenceInterval } from "@/lib/stats/intervals";
import { summarize } from "@/lib/stats/moments";
import { cohortMembers, scoreByAge } from "@/lib/teams/aggregate";
import { BOOTSTRAP_RESAMPLES, compareCohort, compareExisting, historyOf, type CompareInput } from "@/lib/teams/compare/analyse";
import { changesWithin, comparisonPeriods, comparisonSpan, quietPlaceboDates, type DayRange, type KnownChange } from "@/lib/teams/compare/placebo";
import { summarySentence } from "@/lib/teams/compare/summary";
import type { ChangeFigure, CohortGroup, CompareData } from "@/lib/teams/compare/types";
import { CONFIDENCE, MIN_GROUP_SIZE, MIN_PLACEBO_DATES, MIN_PLACEBO_DATES_EACH_SIDE } from "@/lib/teams/compare/verdict";
import type { TeamsDataset } from "@/lib/teams/dataset";
import { DIMENSION_LABELS } from "@/lib/teams/dimensions";
import { COHORT_MAX_AGE, WINDOWS, type CompareParams, type WindowDays } from "@/lib/teams/params";
import type { MarkerSummary } from "@/lib/teams/types";
import { listChangeMarkers } from "./markers";
import { loadConfigChangeMarkers, type ConfigChangeMarker } from "@/lib/scoring/server/scoring-config";
import { getTeamsDataset, memoize, PRE_AGGREGATION_NOTE } from "./dataset-cache";
import { ALL_KEY, membersOf, orderedSegments, round2 } from "./queries";

interface Change extends KnownChange {
  figure: ChangeFigure;
  markerId: number | null;
}

/** Every known change: the markers and each new version of the scoring rules. */
function knownChanges(markers: readonly MarkerSummary[], ruleVersions: readonly ConfigChangeMarker[]): Change[] {
  const fromMarkers = markers.map((m) => ({ day: dayFromIsoDate(m.date), label: m.title, markerId: m.id, figure: { date: m.date, title: m.title, kind: "marker" as const } }));
  const fromRules = ruleVersions.map((c) => {
    const title = `Scoring rules v${c.version}`;
    return { day: dayFromIsoDate(c.date), label: title, markerId: null, figure: { date: c.date, title, kind: "rules" as const } };
  });
  return [...fromMarkers, ...fromRules];
}

/** The newest marker with scores on both sides of it: never one in the future or before the history. */
export function defaultMarker(markers: readonly MarkerSummary[], ds: TeamsDataset): MarkerSummary | null {
  return markers.find((m) => {
    const day = dayFromIsoDate(m.date);
    return day > ds.startDay && day <= ds.asOfDay;
  }) ?? null;
}

const METHOD = {
  resamples: BOOTSTRAP_RESAMPLES,
  confidence: CONFIDENCE,
  minGroupSize: MIN_GROUP_SIZE,
  minPlaceboDates: MIN_PLACEBO_DATES,
  minPlaceboDatesEachSide: MIN_PLACEBO_DATES_EACH_SIDE,
};

/** Before/after a change marker: existing accounts per segment, new accounts by signup cohort (/trends/compare). */
export async function getBeforeAfter(db: Db, params: CompareParams): Promise<CompareData | null> {
  const [markers, ruleVersions] = await Promise.all([listChangeMarkers(db), loadConfigChangeMarkers(db)]);
  const ds = await getTeamsDataset(db);
  if (!ds) return null;
  const marker = params.marker === undefined ? defaultMarker(markers, ds) : (markers.find((m) => m.id === params.marker) ?? null);
  const changes = knownChanges(markers, ruleVersions);
  // Markers and rule versions are part of the answer (placebo dates, overlaps, the picker): any edit makes a new key.
  const key = `compare:${marker?.id ?? ""}:${params.window}:${params.dimension}:${params.horizon}:${params.cohort ?? ""}:${JSON.stringify(markers)}:${JSON.stringify(changes.map((c) => c.figure))}`;
  return memoize(db, ds, key, () => computeBeforeAfter(db, ds, params, marker, markers, changes));
}

function computeBeforeAfter(
  db: Db,
  ds: TeamsDataset,
  params: CompareParams,
  marker: MarkerSummary | null,
  markers: MarkerSummary[],
  changes: Change[],
): CompareData {
  const base: CompareData = {
    marker,
    markers,
    windowDays: params.window,
    horizonDays: params.horizon,
    dimension: params.dimension,
    dimensionLabel: DIMENSION_LABELS[params.dimension],
    before: null,
    after: null,
    overlapping: [],
    existing: { rows: [], placeboDates: { count: 0, runs: [] }, correctedRows: 0, suggestedWindow: null },
    cohort: null,
    summary: null,
    method: METHOD,
    notes: [],
    source: PRE_AGGREGATION_NOTE,
  };
  if (!marker) {
    if (params.marker === undefined && markers.length > 0) {
      base.notes.push("No change marker falls inside the scores' history (from the first scored day to today): choose one above.");
    }
    return base;
  }
  const day = dayFromIsoDate(marker.date);
  const lastDay = ds.startDay + ds.days - 1;
  const others = changes.filter((c) => c.markerId !== marker.id);
  const input: CompareInput = {
    ds,
    change: { day, title: marker.title },
    window: params.window,
    horizon: params.horizon,
    otherChanges: others,
  };
  const groups = [{ key: ALL_KEY, label: "All accounts", members: membersOf(db, ds, null, ALL_KEY) ?? new Int32Array(0) }, ...orderedSegments(db, ds, params.dimension)];
  const existing = compareExisting(input, groups);
  const cohort = cohortView(db, ds, params, input);
  // The cohorts' span (signups and their follow-up) holds the existing accounts' periods.
  const overlapping = changesWithin(others, comparisonSpan(day, params.window, params.horizon));
  const periods = comparisonPeriods(day, params.window, historyOf(ds));
  const period = (range: DayRange | null) => (range ? { from: isoDateFromDay(range.from), to: isoDateFromDay(range.to), days: range.to - range.from + 1 } : null);
  const notes: string[] = [];
  if (day - params.window < ds.startDay) notes.push(`Score history starts on ${isoDateFromDay(ds.startDay)}, so the "before" period is shorter than ${params.window} days.`);
  if (day > lastDay) notes.push("The change is in the future: there are no scores after it yet.");
  else if (day + params.window - 1 > lastDay) notes.push(`The change is recent: only ${lastDay - day + 1} days of scores after it so far.`);
  const allRow = existing.rows[0] ?? null;
  return {
    ...base,
    before: period(periods.before),
    after: period(periods.after),
    overlapping: overlapping.sort((a, b) => a.day - b.day).map((c) => c.figure),
    existing: {
      rows: existing.rows,
      placeboDates: existing.placeboDates,
      correctedRows: existing.correctedRows,
      suggestedWindow: allRow && !allRow.calibrated ? windowThatCalibrates(ds, input) : null,
    },
    cohort,
    summary: summarySentence(cohort ? { headline: cohort.headline, age: params.horizon } : null, allRow, overlapping.map((c) => c.label)),
    notes,
  };
}

/** The longest window at which existing accounts would have quiet dates on both sides of the change, if any. */
function windowThatCalibrates(ds: TeamsDataset, input: CompareInput): WindowDays | null {
  const changeDays = [input.change.day, ...input.otherChanges.map((c) => c.day)];
  for (const window of [...WINDOWS].reverse()) {
    if (window === input.window) continue;
    const quiet = quietPlaceboDates({ firstDay: ds.startDay, lastDay: ds.startDay + ds.days - 1, window, followUp: 0, changeDays });
    const earlier = quiet.filter((d) => d < input.change.day).length;
    if (quiet.length >= MIN_PLACEBO_DATES && earlier >= MIN_PLACEBO_DATES_EACH_SIDE && quiet.length - earlier >= MIN_PLACEBO_DATES_EACH_SIDE) return window;
  }
  return null;
}

function cohortView(db: Db, ds: TeamsDataset, params: CompareParams, input: CompareInput): CompareData["cohort"] {
  const segments = orderedSegments(db, ds, params.dimension);
  const chosen = params.cohort ? segments.find((s) => s.key === params.cohort) : undefined;
  const members = chosen ? chosen.members : (membersOf(db, ds, null, ALL_KEY) ?? new Int32Array(0));
  const day = input.change.day;
  const periods = comparisonPeriods(day, params.window, historyOf(ds));
  // A period outside the history holds no signups: an empty range at the change.
  const group = ({ from, to }: DayRange = { from: day, to: day - 1 }): CohortGroup => {
    const cohort = cohortMembers(ds, members, from, to);
    return {
      signupFrom: isoDateFromDay(from),
      signupTo: isoDateFromDay(Math.max(from, to)),
      accounts: cohort.length,
      curve: scoreByAge(ds, cohort, COHORT_MAX_AGE).map((m) => {
        const s = summarize(m);
        const ci = meanConfidenceInterval(s);
        return {
          n: s.n,
          meanHundredths: s.n === 0 ? null : round2(s.mean),
          lowerHundredths: ci ? round2(ci.lower) : null,
          upperHundredths: ci ? round2(ci.upper) : null,
        };
      }),
    };
  };
  const result = compareCohort(input, members, chosen?.label ?? "All accounts");
  return {
    segment: chosen ? { key: chosen.key, label: chosen.label } : null,
    available: segments.map((s) => ({ key: s.key, label: s.label })),
    maxAge: COHORT_MAX_AGE,
    before: group(periods.before ?? undefined),
    after: group(periods.after ?? undefined),
    age: params.horizon,
    headline: result.headline,
    placeboDates: result.placeboDates,
  };
}
