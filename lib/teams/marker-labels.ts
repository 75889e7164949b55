/**
 * Where the labels of a chart's vertical markers (change markers, scoring-rule changes) go, so
 * that no label covers another: markers on the same day share one label, and a label that
 * would overlap one already placed moves up a row. Pure: positions and sizes in, rows out.
 */
export interface MarkerLabelInput {
  key: string;
  /** Where the marker stands, 0 (left edge of the plot) to 1 (right edge). */
  position: number;
  text: string;
}

export interface MarkerLabelPlacement {
  /** The keys of the markers this label names (several on the same day). */
  keys: string[];
  position: number;
  text: string;
  /** 0 = the row next to the plot, 1 the one above it, … */
  row: number;
  /** "start": the label runs right from its line (left half); "end": left from it. */
  anchor: "start" | "end";
}

export interface MarkerLabelLayout {
  placements: MarkerLabelPlacement[];
  rows: number;
}

/** An average character of an 11 px sans-serif label, rounded up so estimates err wide. */
export const LABEL_CHAR_PX = 6.5;
const GAP_PX = 8;

export function layoutMarkerLabels(items: readonly MarkerLabelInput[], plotWidthPx: number, charPx = LABEL_CHAR_PX): MarkerLabelLayout {
  const sorted = [...items].sort((a, b) => a.position - b.position || a.key.localeCompare(b.key));
  const merged: { keys: string[]; position: number; texts: string[] }[] = [];
  for (const item of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && Math.abs(previous.position - item.position) < 1e-9) {
      previous.keys.push(item.key);
      previous.texts.push(item.text);
    } else {
      merged.push({ keys: [item.key], position: item.position, texts: [item.text] });
    }
  }
  const rows: [number, number][][] = [];
  const placements = merged.map((m): MarkerLabelPlacement => {
    const text = m.texts.join(" · ");
    const width = text.length * charPx + GAP_PX;
    const x = m.position * plotWidthPx;
    const anchor = m.position > 0.5 ? "end" : "start";
    const span: [number, number] = anchor === "start" ? [x, x + width] : [x - width, x];
    let row = rows.findIndex((taken) => taken.every(([from, to]) => span[1] <= from || span[0] >= to));
    if (row === -1) {
      row = rows.length;
      rows.push([]);
    }
    rows[row]?.push(span);
    return { keys: m.keys, position: m.position, text, row, anchor };
  });
  return { placements, rows: rows.length };
}
