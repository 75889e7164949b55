"use client";

import { Card } from "@/components/card";
import { CalibrationChart, type CalibrationZone } from "@/components/charts/calibration-chart";
import { formatPercent } from "@/lib/format";
import type { ValidationData } from "@/lib/insights/validation";

/** Observed renewal rates by score, beside a fitted curve and the playbook's rates per tier. */
export function CalibrationCard({ data }: { data: ValidationData }) {
  const calibration = data.calibration;
  const high = data.tiers.find((t) => t.tier === "high");
  const medium = data.tiers.find((t) => t.tier === "medium");
  const low = data.tiers.find((t) => t.tier === "low");
  const bins = calibration?.bins ?? [];
  const minScore = Math.min(...bins.map((b) => b.meanScore), ...(calibration?.curve ?? []).map((c) => c.score));
  const maxScore = Math.max(...bins.map((b) => b.meanScore), ...(calibration?.curve ?? []).map((c) => c.score));
  const pad = Math.max(5, (maxScore - minScore) * 0.05);
  const span = maxScore - minScore + 2 * pad;
  // Round ticks: the first step that gives at most six of them.
  const step = [5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].find((s) => span / s <= 6) ?? 1000;
  const domain: [number, number] = [Math.floor((minScore - pad) / step) * step, Math.ceil((maxScore + pad) / step) * step];
  const ticks = Array.from({ length: Math.round((domain[1] - domain[0]) / step) + 1 }, (_, i) => domain[0] + i * step);
  const { mediumFrom, highFrom } = data.thresholds;
  const zones: CalibrationZone[] = [
    ...(low ? [{ fromScore: domain[0], toScore: mediumFrom, lowerRate: low.promise.lower, upperRate: low.promise.upper, band: "low" as const }] : []),
    ...(medium ? [{ fromScore: mediumFrom, toScore: highFrom, lowerRate: medium.promise.lower, upperRate: medium.promise.upper, band: "medium" as const }] : []),
    ...(high ? [{ fromScore: highFrom, toScore: domain[1], lowerRate: high.promise.lower, upperRate: high.promise.upper, band: "high" as const }] : []),
  ];
  return (
    <Card
      title="Calibration"
      description="Renewal rate of accounts grouped by score (dots, with 95 % intervals), the rate a logistic fit on the score gives (line), and the playbook's renewal rates per tier (shaded)."
    >
      {!calibration ? (
        <p className="text-sm text-slate-600">The calibration view needs at least 60 scored accounts up for renewal; there are {data.totals.scored}.</p>
      ) : (
        <>
          <CalibrationChart
            points={bins.map((b) => ({
              score: b.meanScore,
              rate: b.rate ?? 0,
              error: [(b.rate ?? 0) - (b.lower ?? 0), (b.upper ?? 0) - (b.rate ?? 0)],
              n: b.n,
              range: `${Math.round(b.minScore)} to ${Math.round(b.maxScore)}`,
            }))}
            curve={calibration.curve}
            zones={zones}
            domain={domain}
            ticks={ticks}
            label="Renewal rate by score"
          />
          <p className="mt-2 text-sm text-slate-600">
            {bins.length} groups of about {Math.round(data.totals.scored / bins.length)} accounts each, from the lowest scores to the highest. Where the dots sit inside a shaded box, the tier renews as the playbook says;
            {high?.rate !== undefined && high.rate !== null ? ` ${high.label} renewed ${formatPercent(high.rate)} of the time.` : ""}
          </p>
        </>
      )}
    </Card>
  );
}
