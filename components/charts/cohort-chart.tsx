"use client";

import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_COLOR, GRID_COLOR, GROUP_COLORS } from "./palette";

export interface CohortRow {
  age: number;
  before: number | null;
  after: number | null;
  beforeRange: [number, number] | null;
  afterRange: [number, number] | null;
  beforeN: number;
  afterN: number;
}

/**
 * Mean score by days since signup for two signup cohorts, each with its 95 % band; the
 * horizon the verdict is about is marked. Points backed by too few accounts come in as null.
 */
export function CohortChart({
  data,
  horizon,
  valueFormatter,
  labels,
  height = 300,
  ariaLabel,
}: {
  data: CohortRow[];
  horizon: number;
  valueFormatter: (v: number) => string;
  labels: { before: string; after: string };
  height?: number;
  ariaLabel: string;
}) {
  return (
    <div style={{ height }} className="w-full" role="img" aria-label={ariaLabel} data-testid="cohort-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 20, right: 12, bottom: 16, left: 0 }}>
          <CartesianGrid vertical={false} stroke={GRID_COLOR} />
          <XAxis
            dataKey="age"
            type="number"
            domain={[0, "dataMax"]}
            ticks={[0, 30, 60, 90, 120, 150, 180]}
            tick={{ fontSize: 11, fill: AXIS_COLOR }}
            tickLine={false}
            label={{ value: "Days since signup", position: "insideBottom", offset: -10, fontSize: 11, fill: AXIS_COLOR }}
          />
          <YAxis tickFormatter={(v: number) => valueFormatter(v)} tick={{ fontSize: 11, fill: AXIS_COLOR }} tickLine={false} axisLine={false} width={52} />
          <Tooltip
            labelFormatter={(age) => `Day ${String(age)} after signup`}
            formatter={(value, name, item) => {
              const row = item.payload as CohortRow;
              if (Array.isArray(value)) return [null, null];
              const n = name === labels.before ? row.beforeN : row.afterN;
              return [typeof value === "number" ? `${valueFormatter(value)} (${n} accounts)` : "—", String(name)];
            }}
          />
          <Area dataKey="beforeRange" stroke="none" fill={GROUP_COLORS.before} fillOpacity={0.15} isAnimationActive={false} legendType="none" tooltipType="none" connectNulls={false} />
          <Area dataKey="afterRange" stroke="none" fill={GROUP_COLORS.after} fillOpacity={0.15} isAnimationActive={false} legendType="none" tooltipType="none" connectNulls={false} />
          <Line dataKey="before" name={labels.before} stroke={GROUP_COLORS.before} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
          <Line dataKey="after" name={labels.after} stroke={GROUP_COLORS.after} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
          <ReferenceLine x={horizon} stroke={AXIS_COLOR} strokeDasharray="4 3" label={{ value: `Day ${horizon}`, position: "insideTopRight", fontSize: 11, fill: AXIS_COLOR }} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
