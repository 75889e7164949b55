"use client";

import { ComposedChart, CartesianGrid, ErrorBar, Line, ReferenceArea, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import type { Band } from "@/lib/scoring/bands";
import { bandColor } from "../band-style";
import { AXIS_COLOR, GRID_COLOR } from "./palette";

export interface CalibrationPoint {
  /** Mean score of the bin (x) and its observed renewal rate (y, 0–1). */
  score: number;
  rate: number;
  /** Distance from the rate to the interval's ends, for the error bar. */
  error: [number, number];
  n: number;
  range: string;
}

export interface CalibrationZone {
  /** Score range of a tier and the renewal rates the playbook gives it. */
  fromScore: number;
  toScore: number;
  lowerRate: number;
  upperRate: number;
  band: Band;
}

const percent = (v: number) => `${Math.round(v * 100)} %`;

/**
 * Draws observed renewal rates of score bins (dots with 95 % intervals) over the renewal
 * probability a logistic fit on the score gives (line), on the promised rates of each tier
 * (shaded boxes, in the tier's colour).
 */
export function CalibrationChart({
  points,
  curve,
  zones,
  domain,
  ticks,
  height = 300,
  label,
}: {
  points: CalibrationPoint[];
  curve: { score: number; probability: number }[];
  zones: CalibrationZone[];
  domain: [number, number];
  ticks?: number[];
  height?: number;
  label: string;
}) {
  return (
    <div className="w-full" role="img" aria-label={label}>
      <p aria-hidden="true" className="mb-1 text-xs text-slate-500">
        Renewed ↑
      </p>
      <div style={{ height }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart margin={{ top: 8, right: 12, bottom: 20, left: 4 }}>
          <CartesianGrid stroke={GRID_COLOR} />
          {zones.map((z) => (
            <ReferenceArea
              key={z.band}
              x1={Math.max(z.fromScore, domain[0])}
              x2={Math.min(z.toScore, domain[1])}
              y1={z.lowerRate}
              y2={z.upperRate}
              fill={bandColor(z.band)}
              fillOpacity={0.12}
              stroke={bandColor(z.band)}
              strokeOpacity={0.4}
              ifOverflow="hidden"
            />
          ))}
          <XAxis
            type="number"
            dataKey="score"
            domain={domain}
            ticks={ticks}
            allowDataOverflow
            tick={{ fontSize: 11, fill: AXIS_COLOR }}
            label={{ value: "Score before the renewal", position: "insideBottom", offset: -12, fontSize: 11, fill: AXIS_COLOR }}
          />
          <YAxis type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={percent} tick={{ fontSize: 11, fill: AXIS_COLOR }} width={52} />
          <Tooltip
            formatter={(value, name) => [percent(Number(value)), name === "probability" ? "Fitted" : "Renewed"]}
            labelFormatter={(value, payload) => {
              const point = payload?.find((p) => (p.payload as Partial<CalibrationPoint>).range !== undefined)?.payload as CalibrationPoint | undefined;
              return point ? `Scores ${point.range} (${point.n} renewals)` : `Score ${Math.round(Number(value))}`;
            }}
          />
          <Line data={curve} type="monotone" dataKey="probability" stroke="var(--color-chart-line)" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Scatter data={points} dataKey="rate" fill="var(--color-chart-median)" isAnimationActive={false}>
            <ErrorBar dataKey="error" direction="y" width={4} stroke="var(--color-chart-median)" />
          </Scatter>
        </ComposedChart>
      </ResponsiveContainer>
      </div>
    </div>
  );
}
