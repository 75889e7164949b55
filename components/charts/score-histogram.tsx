"use client";

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Band } from "@/lib/scoring/bands";
import { BAND_INFO } from "@/lib/scoring/bands";
import { NOT_ACTIVE_YET_LABEL } from "@/lib/scoring/standing";
import { bandColor } from "../band-style";

export interface HistogramDatum {
  label: string;
  count: number;
  /** The bin's band, or "not_active_yet" for the accounts outside the bands. */
  band: Band | "not_active_yet";
}

function colorOf(band: HistogramDatum["band"]): string {
  return band === "not_active_yet" ? "var(--color-not-active)" : bandColor(band);
}

/** Draws a score distribution: one bar per bin, coloured by the bin's band. */
export function ScoreHistogram({ data, height = 260 }: { data: HistogramDatum[]; height?: number }) {
  return (
    <div style={{ height }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: -12 }}>
          <CartesianGrid vertical={false} stroke="var(--color-chart-grid)" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: "var(--color-chart-axis)" }} interval="preserveStartEnd" tickLine={false} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "var(--color-chart-axis)" }} tickLine={false} axisLine={false} />
          <Tooltip
            cursor={{ fill: "rgba(148,163,184,0.15)" }}
            formatter={(value, _name, item) => {
              const band = (item.payload as HistogramDatum).band;
              return [`${String(value)} accounts`, band === "not_active_yet" ? NOT_ACTIVE_YET_LABEL : BAND_INFO[band].label];
            }}
            labelFormatter={(label, payload) => (payload[0]?.payload.band === "not_active_yet" ? NOT_ACTIVE_YET_LABEL : `Score ${String(label)}`)}
          />
          <Bar dataKey="count" radius={[3, 3, 0, 0]} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.label} fill={colorOf(d.band)} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
