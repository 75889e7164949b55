"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface DistributionDatum {
  label: string;
  before: number;
  after: number;
}

/** Draws two score distributions side by side (before in grey, after in the brand colour). */
export function DistributionCompare({ data, height = 240 }: { data: DistributionDatum[]; height?: number }) {
  return (
    <div style={{ height }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: -12 }} barGap={1}>
          <CartesianGrid vertical={false} stroke="var(--color-chart-grid)" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: "var(--color-chart-axis)" }} interval="preserveStartEnd" tickLine={false} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "var(--color-chart-axis)" }} tickLine={false} axisLine={false} />
          <Tooltip labelFormatter={(label) => `Score ${String(label)}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="before" name="Now" fill="var(--color-chart-before)" radius={[2, 2, 0, 0]} isAnimationActive={false} />
          <Bar dataKey="after" name="With your changes" fill="var(--color-chart-line)" radius={[2, 2, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
