import type { EngagementClass } from "@/lib/scoring/engagement";

/** Colours of chart series, from CSS variables in app/globals.css (never hard-coded here). */
export function seriesColor(index: number): string {
  return `var(--color-series-${(index % 8) + 1})`;
}

export function engagementColor(c: EngagementClass): string {
  return `var(--color-engagement-${c.replace("_", "-")})`;
}

export const GROUP_COLORS = { before: "var(--color-group-before)", after: "var(--color-group-after)" } as const;
export const MARKER_COLOR = "var(--color-chart-marker)";
/** Scoring-rule changes (a new configuration version) are drawn apart from business changes. */
export const RULE_MARKER_COLOR = "var(--color-chart-rule-marker)";
export const GRID_COLOR = "var(--color-chart-grid)";
export const AXIS_COLOR = "var(--color-chart-axis)";
/** Placebo differences (quiet dates) and the band of their central 95 %. */
export const PLACEBO_COLORS = { dot: "var(--color-placebo-dot)", band: "var(--color-placebo-band)" } as const;
