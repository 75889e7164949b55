import type { DayRange } from "../aggregate";
import type { TeamsDataset } from "../dataset";

/**
 * Existing accounts before and after a change, as a paired design: the same accounts appear
 * in both periods, so each account's own change (its mean daily score after minus before)
 * is the unit, and the spread between accounts no longer hides the difference.
 * Scores stay in hundredths; days are offsets from the dataset's startDay.
 */

export interface PairedChanges {
  /** Mean daily score of each paired account in each period, and its change (after − before). */
  before: Float64Array;
  after: Float64Array;
  changes: Float64Array;
  /** Members scored through one of the periods only (joined during the first, history ended in the second): left out. */
  unpaired: number;
}

function covers(ds: TeamsDataset, i: number, period: DayRange): boolean {
  return (ds.firstDay[i] ?? 0) <= period.from && (ds.endDay[i] ?? 0) > period.to;
}

function periodMean(ds: TeamsDataset, i: number, period: DayRange): number {
  const row = i * ds.days;
  let s = 0;
  for (let d = period.from; d <= period.to; d++) s += ds.history[row + d] ?? 0;
  return s / (period.to - period.from + 1);
}

/** The members scored on every day of both periods, each with its two period means and its change. */
export function pairedChanges(ds: TeamsDataset, members: Int32Array, before: DayRange, after: DayRange): PairedChanges {
  const b: number[] = [];
  const a: number[] = [];
  let unpaired = 0;
  for (let k = 0; k < members.length; k++) {
    const i = members[k] ?? 0;
    const inBefore = covers(ds, i, before);
    const inAfter = covers(ds, i, after);
    if (inBefore && inAfter) {
      b.push(periodMean(ds, i, before));
      a.push(periodMean(ds, i, after));
    } else if (inBefore || inAfter) {
      unpaired++;
    }
  }
  const changes = Float64Array.from(a, (v, k) => v - (b[k] ?? 0));
  return { before: Float64Array.from(b), after: Float64Array.from(a), changes, unpaired };
}

/**
 * The mean paired change of each group at each placebo date: for a date p (an offset), the
 * accounts scored throughout [p − window, p + window − 1], each contributing its mean over
 * [p, p + window − 1] minus its mean over [p − window, p − 1]. NaN where fewer than
 * `minAccounts` accounts qualify. One pass per member over a prefix sum of its history, so
 * every placebo date costs O(1) per account.
 */
export function pairedPlaceboMeans(
  ds: TeamsDataset,
  groups: readonly Int32Array[],
  window: number,
  placeboOffsets: readonly number[],
  minAccounts: number,
): Float64Array[] {
  const offsets = Int32Array.from(placeboOffsets);
  const k = offsets.length;
  const prefix = new Float64Array(ds.days + 1);
  const { history, days } = ds;
  const sums = new Float64Array(k);
  const counts = new Int32Array(k);
  return groups.map((members) => {
    sums.fill(0);
    counts.fill(0);
    for (let m = 0; m < members.length; m++) {
      const i = members[m] ?? 0;
      const first = ds.firstDay[i] ?? 0;
      const end = ds.endDay[i] ?? 0;
      // The placebo dates this account is scored around: first + window ≤ p ≤ end − window.
      const lo = lowerBound(offsets, first + window);
      const hi = lowerBound(offsets, end - window + 1);
      if (hi <= lo) continue;
      const row = i * days;
      prefix[first] = 0;
      for (let d = first; d < end; d++) prefix[d + 1] = (prefix[d] ?? 0) + (history[row + d] ?? 0);
      for (let j = lo; j < hi; j++) {
        const p = offsets[j] ?? 0;
        sums[j] = (sums[j] ?? 0) + ((prefix[p + window] ?? 0) - 2 * (prefix[p] ?? 0) + (prefix[p - window] ?? 0)) / window;
        counts[j] = (counts[j] ?? 0) + 1;
      }
    }
    return Float64Array.from(sums, (s, j) => ((counts[j] ?? 0) >= minAccounts ? s / (counts[j] ?? 1) : Number.NaN));
  });
}

/** The first index of sorted `values` holding a value ≥ `target`. */
function lowerBound(values: Int32Array, target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
