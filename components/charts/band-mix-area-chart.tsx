"use client";

import { Area, AreaChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDate, formatPercent, formatShortDate } from "@/lib/format";
import { BAND_INFO, BANDS, type Band } from "@/lib/scoring/bands";
import { bandColor } from "../band-style";
import { AXIS_COLOR, GRID_COLOR, MARKER_COLOR, RULE_MARKER_COLOR } from "./palette";
import { dateMarkerLabels, markerKey } from "./date-markers";
import { useMarkerLabels } from "./marker-labels";
import type { ChartMarker } from "./time-series-chart";

export type BandMixRow = { date: string } & Record<Band, number>;

/** The band mix per day as a 100 % stacked area (churn risk at the bottom), with markers. */
export function BandMixAreaChart({
  data,
  markers,
  height = 260,
  ariaLabel,
}: {
  data: BandMixRow[];
  markers: ChartMarker[];
  height?: number;
  ariaLabel: string;
}) {
  const first = data[0]?.date;
  const last = data[data.length - 1]?.date;
  const visibleMarkers = first && last ? markers.filter((m) => m.date >= first && m.date <= last) : [];
  const labels = useMarkerLabels(first && last ? dateMarkerLabels(visibleMarkers, first, last) : [], 64);
  return (
    <div style={{ height }} className="w-full" role="img" aria-label={ariaLabel} data-testid="band-mix-chart">
      <ResponsiveContainer width="100%" height="100%" onResize={labels.onResize}>
        <AreaChart data={data} stackOffset="expand" margin={{ top: labels.topMargin, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} stroke={GRID_COLOR} />
          <XAxis dataKey="date" tickFormatter={formatShortDate} tick={{ fontSize: 11, fill: AXIS_COLOR }} tickLine={false} minTickGap={28} />
          <YAxis
            tickFormatter={(v: number) => formatPercent(v)}
            tick={{ fontSize: 11, fill: AXIS_COLOR }}
            tickLine={false}
            axisLine={false}
            width={52}
          />
          <Tooltip
            labelFormatter={(label) => formatDate(String(label))}
            formatter={(value, name, item) => {
              const row = item.payload as BandMixRow;
              const total = BANDS.reduce((s, b) => s + row[b], 0);
              const n = typeof value === "number" ? value : 0;
              return [`${formatPercent(total === 0 ? 0 : n / total)} (${n})`, String(name)];
            }}
          />
          {BANDS.map((b) => (
            <Area
              key={b}
              type="monotone"
              dataKey={b}
              name={BAND_INFO[b].label}
              stackId="bands"
              stroke={bandColor(b)}
              fill={bandColor(b)}
              fillOpacity={0.85}
              isAnimationActive={false}
            />
          ))}
          {visibleMarkers.map((m) => (
            <ReferenceLine
              key={markerKey(m)}
              x={m.date}
              stroke={m.kind === "rules" ? RULE_MARKER_COLOR : MARKER_COLOR}
              strokeWidth={1.5}
              strokeDasharray={m.kind === "rules" ? "1 3" : "4 3"}
              label={labels.labelFor(markerKey(m), m.kind === "rules" ? RULE_MARKER_COLOR : MARKER_COLOR)}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
