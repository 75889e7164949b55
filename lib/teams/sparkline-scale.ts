/**
 * One vertical scale for every sparkline of a table, from zero (or the lowest value, when
 * below zero) to the highest value of any row. Each line on its own min–max scale would make
 * a drift from 60 to 50 fill the whole height, like a crash; on a shared scale from zero it is
 * the small step it is, and rows compare with one another. Null when no row has a value.
 */
export function sharedSparklineScale(series: readonly (readonly (number | null)[])[]): { min: number; max: number } | null {
  let min = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (const values of series) {
    for (const v of values) {
      if (v === null) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (max === Number.NEGATIVE_INFINITY) return null;
  return { min, max: max > min ? max : min + 1 };
}
