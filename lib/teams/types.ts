import type { Band, BandThresholds } from "../scoring/bands";
import type { DeclineRule } from "../scoring/decline";
import type { EngagementIndex } from "../scoring/engagement";
import type { BandCounts } from "./aggregate";
import type { Dimension } from "./dimensions";

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
