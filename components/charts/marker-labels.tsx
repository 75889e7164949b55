"use client";

import { useMemo, useState, type ReactElement } from "react";
import { layoutMarkerLabels, type MarkerLabelInput, type MarkerLabelPlacement } from "@/lib/teams/marker-labels";

/** Height of one row of marker labels above a plot. */
export const MARKER_ROW_PX = 13;

/**
 * The label rows of a chart's markers at the chart's current width (lib/teams/marker-labels.ts):
 * pass `onResize` to the ResponsiveContainer, reserve `topMargin` above the plot and draw each
 * marker's label with `labelFor(key, colour)` (undefined for a marker named by another's label).
 */
export function useMarkerLabels(items: readonly MarkerLabelInput[], plotInsetPx: number) {
  const [width, setWidth] = useState(360);
  const layout = useMemo(() => layoutMarkerLabels(items, Math.max(120, width - plotInsetPx)), [items, width, plotInsetPx]);
  const byKey = useMemo(() => new Map(layout.placements.map((p) => [p.keys[0], p])), [layout]);
  return {
    onResize: (w: number) => setWidth(w),
    topMargin: 6 + layout.rows * MARKER_ROW_PX,
    labelFor: (key: string, color: string) => {
      const placement = byKey.get(key);
      return placement ? markerLabel(placement, color) : undefined;
    },
  };
}

function markerLabel(placement: MarkerLabelPlacement, color: string) {
  return function MarkerLabel(props: { viewBox?: unknown }): ReactElement {
    const box = (props.viewBox ?? {}) as { x?: number; y?: number };
    const x = box.x ?? 0;
    const y = box.y ?? 0;
    return (
      <text
        x={placement.anchor === "start" ? x + 3 : x - 3}
        y={y - 4 - placement.row * MARKER_ROW_PX}
        textAnchor={placement.anchor}
        fontSize={11}
        fill={color}
        stroke="white"
        strokeWidth={3}
        paintOrder="stroke"
        data-testid="marker-label"
      >
        {placement.text}
      </text>
    );
  };
}
