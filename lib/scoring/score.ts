import type { DayNumber } from "../days";
import type { Hundredths } from "./points";

/**
 * CES = Σ_t w_t · n_t over a window of `windowDays` UTC days ending on (and including)
 * `endDay`: the days endDay − windowDays + 1 … endDay.
 */
export interface ScoreWindow {
  startDay: DayNumber;
  endDay: DayNumber;
}

export function scoreWindow(endDay: DayNumber, windowDays: number): ScoreWindow {
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new RangeError("windowDays must be a positive integer");
  return { startDay: endDay - windowDays + 1, endDay };
}

/** One cell of the daily rollup: how many events of a type an account had on a day. */
export interface DailyCount {
  day: DayNumber;
  typeId: number;
  count: number;
}

/** Weights by event type id, in hundredths; a missing (or inactive) type weighs 0. */
export type WeightTable = ReadonlyMap<number, Hundredths>;

export interface Contribution {
  typeId: number;
  count: number;
  weightHundredths: Hundredths;
  /** weight × count, in hundredths of a point. */
  pointsHundredths: Hundredths;
}

/**
 * The contribution of each event type within the window, sorted by absolute points
 * (largest first). Their pointsHundredths add up exactly to `scoreInWindow`.
 */
export function contributions(counts: Iterable<DailyCount>, weights: WeightTable, window: ScoreWindow): Contribution[] {
  const perType = new Map<number, number>();
  for (const c of counts) {
    if (c.day < window.startDay || c.day > window.endDay) continue;
    perType.set(c.typeId, (perType.get(c.typeId) ?? 0) + c.count);
  }
  const result: Contribution[] = [];
  for (const [typeId, count] of perType) {
    const weightHundredths = weights.get(typeId) ?? 0;
    result.push({ typeId, count, weightHundredths, pointsHundredths: weightHundredths * count });
  }
  return result.sort((a, b) => Math.abs(b.pointsHundredths) - Math.abs(a.pointsHundredths) || a.typeId - b.typeId);
}

/**
 * Given daily points starting `windowDays − 1` days before the first output day, returns the
 * trailing sums of `windowDays` values for the last `length` positions.
 */
export function rollingWindowSums(points: Float64Array, windowDays: number, length: number): Float64Array {
  const out = new Float64Array(length);
  const offset = points.length - length;
  let running = 0;
  for (let i = 0; i < points.length; i++) {
    running += points[i] ?? 0;
    if (i - windowDays >= 0) running -= points[i - windowDays] ?? 0;
    if (i >= offset) out[i - offset] = running;
  }
  return out;
}
