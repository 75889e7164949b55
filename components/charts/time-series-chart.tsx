"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDate, formatShortDate } from "@/lib/format";
import { dateMarkerLabels, markerKey } from "./date-markers";
import { useMarkerLabels } from "./marker-labels";
import { AXIS_COLOR, GRID_COLOR, MARKER_COLOR, RULE_MARKER_COLOR } from "./palette";

export interface TimeSeriesLine {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
}

export interface ChartMarker {
  date: string;
  title: string;
  /** "rules": the scoring configuration changed that day (drawn apart from change markers). */
  kind?: "change" | "rules";
}

export type TimeSeriesRow = { date: string } & Record<string, number | string | null>;

/**
 * Draws lines over days, with a dashed vertical rule and a label for each change marker that
 * falls inside the range. Data, series and formatting come in; colours are CSS variables.
 */
export function TimeSeriesChart({
  data,
  lines,
  markers,
  valueFormatter,
  height = 300,
  ariaLabel,
}: {
  data: TimeSeriesRow[];
  lines: TimeSeriesLine[];
  markers: ChartMarker[];
  valueFormatter: (value: number) => string;
  height?: number;
  ariaLabel: string;
}) {
  const first = data[0]?.date;
  const last = data[data.length - 1]?.date;
  const visibleMarkers = first && last ? markers.filter((m) => m.date >= first && m.date <= last) : [];
  const labels = useMarkerLabels(first && last ? dateMarkerLabels(visibleMarkers, first, last) : [], 64);
  return (
    <div style={{ height }} className="w-full" role="img" aria-label={ariaLabel} data-testid="time-series-chart">
      <ResponsiveContainer width="100%" height="100%" onResize={labels.onResize}>
        <LineChart data={data} margin={{ top: labels.topMargin, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} stroke={GRID_COLOR} />
          <XAxis
            dataKey="date"
            tickFormatter={formatShortDate}
            tick={{ fontSize: 11, fill: AXIS_COLOR }}
            tickLine={false}
            minTickGap={28}
          />
          <YAxis
            tickFormatter={(v: number) => valueFormatter(v)}
            tick={{ fontSize: 11, fill: AXIS_COLOR }}
            tickLine={false}
            axisLine={false}
            width={52}
          />
          <Tooltip
            labelFormatter={(label) => formatDate(String(label))}
            formatter={(value, name) => [typeof value === "number" ? valueFormatter(value) : "—", String(name)]}
          />
          {visibleMarkers.map((m) => (
            <ReferenceLine
              key={markerKey(m)}
              x={m.date}
              stroke={m.kind === "rules" ? RULE_MARKER_COLOR : MARKER_COLOR}
              strokeDasharray={m.kind === "rules" ? "1 3" : "4 3"}
              ifOverflow="extendDomain"
              label={labels.labelFor(markerKey(m), m.kind === "rules" ? RULE_MARKER_COLOR : MARKER_COLOR)}
            />
          ))}
          {lines.map((l) => (
            <Line
              key={l.key}
              type="monotone"
              dataKey={l.key}
              name={l.label}
              stroke={l.color}
              strokeWidth={2}
              strokeDasharray={l.dashed ? "5 4" : undefined}
              dot={false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** The legend of a chart's lines and markers, as plain HTML (readable and wraps on phones). */
export function ChartLegend({ lines, markers = [] }: { lines: TimeSeriesLine[]; markers?: ChartMarker[] }) {
  return (
    <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
      {lines.map((l) => (
        <li key={l.key} className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-0.5 w-4 rounded" style={{ background: l.color, opacity: l.dashed ? 0.7 : 1 }} />
          {l.label}
        </li>
      ))}
      {markers.some((m) => m.kind !== "rules") ? (
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-3 border-l-2 border-dashed" style={{ borderColor: MARKER_COLOR }} />
          Change marker
        </li>
      ) : null}
      {markers.some((m) => m.kind === "rules") ? (
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-3 border-l-2 border-dotted" style={{ borderColor: RULE_MARKER_COLOR }} />
          Scoring rules changed
        </li>
      ) : null}
    </ul>
  );
}
