import type { SegmentSort } from "./params";
import type { SegmentRow } from "./types";

function value(row: SegmentRow, sort: SegmentSort): number | string {
  switch (sort) {
    case "segment":
      return row.label.toLowerCase();
    case "accounts":
      return row.accounts;
    case "mean":
      return row.meanHundredths ?? Number.NEGATIVE_INFINITY;
    case "median":
      return row.medianHundredths ?? Number.NEGATIVE_INFINITY;
    case "churn":
      return row.churnRiskShare;
    case "declining":
      return row.decliningShare;
    case "engaged":
      return row.engagement.shares.engaged;
  }
}

/** Segments in the order the table shows; ties keep the natural order. */
export function sortSegments(rows: readonly SegmentRow[], sort: SegmentSort | undefined, order: "asc" | "desc"): SegmentRow[] {
  if (!sort) return [...rows];
  const sign = order === "asc" ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const va = value(a.row, sort);
      const vb = value(b.row, sort);
      if (va < vb) return -sign;
      if (va > vb) return sign;
      return a.i - b.i;
    })
    .map((x) => x.row);
}
