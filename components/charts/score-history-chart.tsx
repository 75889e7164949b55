"use client";

import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { bandAreas, scoreAxisDomain, scoreTicks, type HistoryPoint } from "@/lib/accounts/history-series";
import { dayFromIsoDate, isoDateFromDay } from "@/lib/days";
import { formatDate } from "@/lib/format";
import { BAND_INFO, bandFor, type BandThresholds } from "@/lib/scoring/bands";
import { bandColor } from "../band-style";
import { useMarkerLabels } from "./marker-labels";

export interface ChartMarker {
  id: number | string;
  date: string;
  title: string;
  /** "rules": the scoring configuration changed that day (drawn apart from change markers). */
  kind?: "change" | "rules";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The first day of each month in the range: the x-axis ticks. */
function monthTicks(from: number, to: number): number[] {
  const ticks: number[] = [];
  for (let day = from; day <= to; day++) if (isoDateFromDay(day).endsWith("-01")) ticks.push(day);
  return ticks;
}

function softColor(band: Parameters<typeof bandColor>[0]): string {
  return `var(--color-band-${band.replace("_", "-")}-soft)`;
}

/**
 * A year of daily scores over the bands (shaded, thresholds dashed) with the change markers
 * drawn as vertical lines. Only draws: data and thresholds in, colours from CSS variables.
 */
export function ScoreHistoryChart({
  points,
  thresholds,
  markers,
  height = 280,
}: {
  points: HistoryPoint[];
  thresholds: BandThresholds;
  markers: ChartMarker[];
  height?: number;
}) {
  const first = points[0]?.day ?? 0;
  const last = points[points.length - 1]?.day ?? 0;
  const domain = scoreAxisDomain(points, thresholds);
  const lines = [
    { value: thresholds.churnRiskMax, band: "churn_risk" as const },
    { value: thresholds.mediumFrom, band: "medium" as const },
    { value: thresholds.highFrom, band: "high" as const },
    { value: thresholds.powerAbove, band: "power" as const },
  ];
  const visibleMarkers = markers.filter((m) => {
    const day = dayFromIsoDate(m.date);
    return day >= first && day <= last;
  });
  const span = Math.max(1, last - first);
  const labels = useMarkerLabels(
    visibleMarkers.map((m) => ({ key: String(m.id), position: (dayFromIsoDate(m.date) - first) / span, text: m.title })),
    78,
  );

  return (
    <div style={{ height }} className="w-full" data-testid="score-history-chart">
      <ResponsiveContainer width="100%" height="100%" onResize={labels.onResize}>
        <LineChart data={points} margin={{ top: labels.topMargin, right: 30, bottom: 0, left: -12 }}>
          {bandAreas(domain, thresholds).map((area) => (
            <ReferenceArea key={area.band} y1={area.from} y2={area.to} fill={softColor(area.band)} fillOpacity={0.75} stroke="none" ifOverflow="hidden" />
          ))}
          <CartesianGrid vertical={false} stroke="var(--color-chart-grid)" strokeOpacity={0.6} />
          {lines.map((l) => (
            <ReferenceLine
              key={l.band}
              y={l.value}
              stroke={bandColor(l.band)}
              strokeDasharray="4 3"
              strokeOpacity={0.8}
              label={{ value: String(l.value), position: "right", fontSize: 10, fill: "var(--color-chart-axis)" }}
            />
          ))}
          {visibleMarkers.map((m) => (
            <ReferenceLine
              key={m.id}
              x={dayFromIsoDate(m.date)}
              stroke={m.kind === "rules" ? "var(--color-chart-rule-marker)" : "var(--color-chart-marker)"}
              strokeWidth={1.5}
              strokeDasharray={m.kind === "rules" ? "1 3" : "3 3"}
              // Labels stack in rows above the plot where they would overlap (lib/teams/marker-labels.ts).
              label={labels.labelFor(String(m.id), m.kind === "rules" ? "var(--color-chart-rule-marker)" : "var(--color-chart-marker)")}
            />
          ))}
          <XAxis
            dataKey="day"
            type="number"
            domain={[first, last]}
            ticks={monthTicks(first, last)}
            tickFormatter={(day: number) => MONTHS[Number(isoDateFromDay(day).slice(5, 7)) - 1] ?? ""}
            tick={{ fontSize: 11, fill: "var(--color-chart-axis)" }}
            tickLine={false}
            axisLine={{ stroke: "var(--color-chart-grid)" }}
          />
          <YAxis domain={domain} ticks={scoreTicks(domain)} tick={{ fontSize: 11, fill: "var(--color-chart-axis)" }} tickLine={false} axisLine={false} allowDecimals={false} />
          <Tooltip
            labelFormatter={(day) => formatDate(isoDateFromDay(Number(day)))}
            formatter={(value) => {
              const score = Number(value);
              return [`${score.toLocaleString("en-US", { maximumFractionDigits: 1 })} · ${BAND_INFO[bandFor(score, thresholds)].label}`, "Score"];
            }}
          />
          <Line type="monotone" dataKey="score" stroke="var(--color-chart-line)" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
