import type { DayNumber } from "@/lib/days";
import type { Hundredths } from "@/lib/scoring/points";
import { rollingWindowSums, type DailyCount, type ScoreWindow, type WeightTable } from "@/lib/scoring/score";

/**
 * The score's definition written as plainly as it reads (CES = Σ weight × count over the
 * window), for tests to hold the product's faster code to: the recompute's rolling sums,
 * the preview, the movement explanation. Nothing in production calls these.
 */

export function scoreInWindow(counts: Iterable<DailyCount>, weights: WeightTable, window: ScoreWindow): Hundredths {
  let total = 0;
  for (const c of counts) {
    if (c.day < window.startDay || c.day > window.endDay) continue;
    total += (weights.get(c.typeId) ?? 0) * c.count;
  }
  return total;
}

/**
 * The score at the end of every day from `fromDay` to `toDay` (inclusive), each over its own
 * trailing window: a rolling sum of daily points, O(days + counts) instead of O(days × window).
 */
export function dailyScoreSeries(
  counts: Iterable<DailyCount>,
  weights: WeightTable,
  fromDay: DayNumber,
  toDay: DayNumber,
  windowDays: number,
): Float64Array {
  const length = toDay - fromDay + 1;
  if (length <= 0) return new Float64Array(0);
  const firstDay = fromDay - windowDays + 1;
  const points = new Float64Array(toDay - firstDay + 1);
  for (const c of counts) {
    if (c.day < firstDay || c.day > toDay) continue;
    points[c.day - firstDay] = (points[c.day - firstDay] ?? 0) + (weights.get(c.typeId) ?? 0) * c.count;
  }
  return rollingWindowSums(points, windowDays, length);
}
