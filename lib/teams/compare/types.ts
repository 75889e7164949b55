import type { Dimension } from "../dimensions";
import type { WindowDays } from "../params";
import type { MarkerSummary } from "../types";
import type { NoEffectReason, TooSmallReason, VerdictKind } from "./verdict";

/** JSON shapes of the before/after view (GET /api/trends/compare and the page's prefetched data). */

export interface GroupFigure {
  n: number;
  meanHundredths: number | null;
  medianHundredths: number | null;
}

/** A difference (after − before) with its 95 % bootstrap interval, in hundredths of a point. */
export interface EstimateFigure {
  estimateHundredths: number;
  lowerHundredths: number;
  upperHundredths: number;
}

/** What the same comparison gave at quiet dates: the normal drift and chance on this data. */
export interface PlaceboFigure {
  /** Quiet dates with a figure, and how many lie before and after the change. */
  dates: number;
  earlier: number;
  later: number;
  /** The central 95 % of the placebo differences, and their median. */
  lowerHundredths: number;
  upperHundredths: number;
  medianHundredths: number;
  /** Every placebo difference, sorted ascending (whole hundredths). */
  differencesHundredths: number[];
}

/** The range a comparison moves within when nothing changed (quiet dates and chance), in hundredths. */
export interface RangeFigure {
  lowerHundredths: number;
  upperHundredths: number;
}

/** The quiet dates a table or view could use, as runs of consecutive days. */
export interface PlaceboDates {
  count: number;
  runs: { from: string; to: string }[];
}

export interface VerdictFigure {
  kind: VerdictKind;
  reason: TooSmallReason | NoEffectReason | null;
  /** One plain sentence for people. */
  text: string;
  /** Other changes inside the compared windows: the difference is not credited to this change alone. */
  overlapping: string[];
}

export type Design = "paired" | "unpaired";

/** One before/after comparison: a row of the segment table, or the new-accounts headline. */
export interface ComparisonFigure {
  key: string;
  label: string;
  /** Paired: the same accounts in both periods, each account's change. Unpaired: two different groups. */
  design: Design;
  before: GroupFigure;
  after: GroupFigure;
  /** Paired rows: accounts scored through one period only (joined during the first), left out. */
  unpaired: number;
  /** Difference in means (paired: the mean change) with its BCa interval. */
  meanDifference: EstimateFigure | null;
  /** Difference in medians (paired: the median account's change) with its percentile interval. */
  medianDifference: EstimateFigure | null;
  placebo: PlaceboFigure | null;
  /** The normal range the verdict was judged against; null when the history could not measure it. */
  normalRange: RangeFigure | null;
  /** Whether the quiet dates were enough to measure the normal range for this comparison. */
  calibrated: boolean;
  verdict: VerdictFigure;
  /** Confidence level the verdict was judged at: 0.95, or higher for segments after Holm's correction. */
  judgedAt: number;
}

export interface PeriodInfo {
  from: string;
  to: string;
  days: number;
}

export interface CohortCurvePoint {
  n: number;
  meanHundredths: number | null;
  lowerHundredths: number | null;
  upperHundredths: number | null;
}

export interface CohortGroup {
  signupFrom: string;
  signupTo: string;
  accounts: number;
  /** Index = days since signup (0…maxAge). */
  curve: CohortCurvePoint[];
}

export interface ChangeFigure {
  date: string;
  title: string;
  kind: "marker" | "rules";
}

export interface CompareMethod {
  resamples: number;
  confidence: number;
  minGroupSize: number;
  minPlaceboDates: number;
  minPlaceboDatesEachSide: number;
}

export interface CompareData {
  marker: MarkerSummary | null;
  markers: MarkerSummary[];
  windowDays: number;
  horizonDays: number;
  dimension: Dimension;
  dimensionLabel: string;
  before: PeriodInfo | null;
  after: PeriodInfo | null;
  /** Other changes (markers, scoring-rule versions) inside any of the compared windows. */
  overlapping: ChangeFigure[];
  existing: {
    /** First "All accounts" (one comparison of its own), then one row per segment. */
    rows: ComparisonFigure[];
    placeboDates: PlaceboDates;
    /** Segment rows that formed Holm's family (could be judged). */
    correctedRows: number;
    /** When no row could be judged for lack of quiet dates: a window at which they could be. */
    suggestedWindow: WindowDays | null;
  };
  cohort: {
    segment: { key: string; label: string } | null;
    available: { key: string; label: string }[];
    maxAge: number;
    before: CohortGroup;
    after: CohortGroup;
    age: number;
    headline: ComparisonFigure;
    placeboDates: PlaceboDates;
  } | null;
  /** New and existing accounts' results in one sentence. */
  summary: string | null;
  method: CompareMethod;
  notes: string[];
  source: string;
}
