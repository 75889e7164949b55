"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_COLOR, GRID_COLOR } from "./palette";

export interface RocDatum {
  /** Share of renewers flagged (x) and of churners caught (y), 0–1. */
  renewersFlagged: number;
  churnersCaught: number;
  /** "below 40" etc., for the tooltip. */
  thresholdLabel: string;
}

const percent = (v: number) => `${Math.round(v * 100)} %`;

/**
 * Draws a ROC curve of churn detection: flag accounts below a score, x the renewers flagged
 * with them, y the churners caught. The diagonal is a coin toss.
 */
export function RocCurveChart({ data, height = 280, label }: { data: RocDatum[]; height?: number; label: string }) {
  return (
    <div className="w-full" role="img" aria-label={label}>
      <p aria-hidden="true" className="mb-1 text-xs text-slate-500">
        Churners caught ↑
      </p>
      <div style={{ height }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 20, left: 4 }}>
          <CartesianGrid stroke={GRID_COLOR} />
          <XAxis
            type="number"
            dataKey="renewersFlagged"
            domain={[0, 1]}
            ticks={[0, 0.25, 0.5, 0.75, 1]}
            tickFormatter={percent}
            tick={{ fontSize: 11, fill: AXIS_COLOR }}
            label={{ value: "Renewers flagged too", position: "insideBottom", offset: -12, fontSize: 11, fill: AXIS_COLOR }}
          />
          <YAxis
            type="number"
            domain={[0, 1]}
            ticks={[0, 0.25, 0.5, 0.75, 1]}
            tickFormatter={percent}
            tick={{ fontSize: 11, fill: AXIS_COLOR }}
            width={52}
          />
          <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke={AXIS_COLOR} strokeDasharray="4 4" ifOverflow="visible" />
          <Tooltip
            formatter={(value, name) => [percent(Number(value)), name === "churnersCaught" ? "Churners caught" : String(name)]}
            labelFormatter={(_label, payload) => {
              const datum = payload?.[0]?.payload as RocDatum | undefined;
              return datum ? `Flag ${datum.thresholdLabel}: ${percent(datum.renewersFlagged)} of renewers flagged` : "";
            }}
          />
          <Line type="stepAfter" dataKey="churnersCaught" stroke="var(--color-chart-line)" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
      </div>
    </div>
  );
}
