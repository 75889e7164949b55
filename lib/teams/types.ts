import type { Band, BandThresholds } from "../scoring/bands";
import type { DeclineRule } from "../scoring/decline";
import type { EngagementIndex } from "../scoring/engagement";
import type { BandCounts } from "./aggregate";
import type { Dimension } from "./dimensions";
import type { Verdict } from "./verdict";

/** JSON shapes of the team views' data (API responses and server-prefetched query data). */

export interface MarkerSummary {
  id: number;
  date: string;
  title: string;
  description: string;
}

export interface SegmentRow {
  key: string;
  label: string;
  accounts: number;
  meanHundredths: number | null;
  medianHundredths: number | null;
  /** Per band, not counting accounts not active yet (onboarding: lib/scoring/standing.ts). */
  bandCounts: BandCounts;
  notActiveYet: number;
  churnRiskShare: number;
  decliningShare: number;
  engagement: EngagementIndex;
  /** Weekly mean score (hundredths), oldest first, the last week ending on asOfDate. */
  sparkline: (number | null)[];
}

export interface SegmentsData {
  dimension: Dimension;
  dimensionLabel: string;
  asOfDate: string;
  /** First day of the first sparkline week. */
  sparklineStartDate: string;
  sparklineStepDays: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
  compareDays: number;
  totalAccounts: number;
  /** Tags can overlap: an account may sit in several segments. */
  overlapping: boolean;
  segments: SegmentRow[];
  /** How the figures were computed, for the curious (and the benchmark). */
  source: string;
}

export interface TrendSeries {
  key: string;
  label: string;
  /** Per day from startDate: accounts that existed, mean and median score (hundredths). */
  accounts: number[];
  mean: (number | null)[];
  median: (number | null)[];
  /** Per band, per day: number of accounts. */
  bands: Record<Band, number[]>;
}

export interface TrendsData {
  rangeDays: number;
  startDate: string;
  endDate: string;
  dimension: Dimension | null;
  dimensionLabel: string | null;
  /** Segments of the dimension one can choose from (key, label, accounts). */
  available: { key: string; label: string; accounts: number }[];
  series: TrendSeries[];
  /** Days the scoring configuration changed (history is recomputed; the chart marks when). */
  ruleChanges: { date: string; title: string }[];
  source: string;
}

export interface GroupFigure {
  n: number;
  meanHundredths: number | null;
  sdHundredths: number | null;
}

export interface IntervalFigure {
  differenceHundredths: number;
  lowerHundredths: number;
  upperHundredths: number;
  degreesOfFreedom: number;
}

export interface PeriodInfo {
  from: string;
  to: string;
  days: number;
}

export interface BeforeAfterRow {
  key: string;
  label: string;
  before: GroupFigure;
  after: GroupFigure;
  interval: IntervalFigure | null;
  verdict: Verdict;
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

export interface CompareData {
  marker: MarkerSummary | null;
  markers: MarkerSummary[];
  windowDays: number;
  horizonDays: number;
  dimension: Dimension;
  dimensionLabel: string;
  minGroupSize: number;
  before: PeriodInfo | null;
  after: PeriodInfo | null;
  rows: BeforeAfterRow[];
  cohort: {
    segment: { key: string; label: string } | null;
    available: { key: string; label: string }[];
    maxAge: number;
    before: CohortGroup;
    after: CohortGroup;
    headline: {
      age: number;
      before: GroupFigure;
      after: GroupFigure;
      interval: IntervalFigure | null;
      verdict: Verdict;
    };
  } | null;
  notes: string[];
  source: string;
}
