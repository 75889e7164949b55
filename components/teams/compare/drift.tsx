import { PlaceboStrip } from "@/components/charts/placebo-strip";
import { formatCount, formatDelta, formatInterval } from "@/lib/format";
import type { ComparisonFigure } from "@/lib/teams/compare/types";
import { claims } from "./verdict-style";

/** A scale shared by comparisons drawn side by side, symmetric around zero: every tick, range and interval fits. */
export function sharedDomain(rows: readonly ComparisonFigure[]): [number, number] {
  let extent = 100;
  const widen = (v: number) => {
    extent = Math.max(extent, Math.abs(v));
  };
  for (const r of rows) {
    if (r.meanDifference) [r.meanDifference.lowerHundredths, r.meanDifference.upperHundredths].forEach(widen);
    if (r.normalRange) [r.normalRange.lowerHundredths, r.normalRange.upperHundredths].forEach(widen);
    for (const v of r.placebo?.differencesHundredths ?? []) widen(v);
  }
  return [-extent * 1.05, extent * 1.05];
}

/** What the strip shows, in words (its accessible name). */
function describe(row: ComparisonFigure): string {
  const p = row.placebo;
  const d = row.meanDifference;
  const here = d ? `this change: ${formatInterval(d.lowerHundredths, d.upperHundredths)} points` : "this change: no interval";
  if (!p) return `No quiet dates to compare with; ${here}`;
  const range = row.normalRange ? `; normal range ${formatInterval(row.normalRange.lowerHundredths, row.normalRange.upperHundredths)} points` : "";
  return `At ${formatCount(p.dates)} quiet dates the same comparison gave ${formatInterval(p.lowerHundredths, p.upperHundredths)} points (central 95 %)${range}; ${here}`;
}

/** The observed difference beside the same comparison at quiet dates, on a labelled scale. */
export function DriftStrip({ row, domain, width = 200 }: { row: ComparisonFigure; domain: [number, number]; width?: number | "100%" }) {
  const p = row.placebo;
  const d = row.meanDifference;
  const shaded = row.normalRange ?? (p ? { lowerHundredths: p.lowerHundredths, upperHundredths: p.upperHundredths } : null);
  return (
    <div style={{ width }} className="max-w-full">
      <PlaceboStrip
        placebo={p?.differencesHundredths ?? []}
        band={shaded ? [shaded.lowerHundredths, shaded.upperHundredths] : null}
        observed={d ? { estimate: d.estimateHundredths, lower: d.lowerHundredths, upper: d.upperHundredths } : null}
        domain={domain}
        highlighted={claims(row.verdict)}
        label={describe(row)}
        width="100%"
      />
      <div aria-hidden="true" className="flex justify-between text-[10px] leading-none tabular-nums text-slate-400">
        <span>{formatDelta(Math.round(domain[0]))}</span>
        <span>0</span>
        <span>{formatDelta(Math.round(domain[1]))}</span>
      </div>
    </div>
  );
}
