import { quantileOfSorted } from "../../stats/bootstrap";

/**
 * Placebo dates: the same comparison run at dates where nothing is known to have changed, to
 * measure how much the comparison moves by drift and chance alone on this very data
 * (docs/adr/0011-before-after-verdicts.md). All days are absolute day numbers.
 */

/** A change that can move scores: a change marker or a new version of the scoring rules. */
export interface KnownChange {
  day: number;
  label: string;
}

/**
 * The days whose scores a comparison at `day` reads: the `window` days before it, the
 * `window` days from it, and for signup cohorts the `followUp` days (days since signup) the
 * last accounts to sign up are followed for.
 */
export function comparisonSpan(day: number, window: number, followUp: number): { from: number; to: number } {
  return { from: day - window, to: day + window - 1 + followUp };
}

export interface DayRange {
  from: number;
  to: number;
}

/**
 * The periods a comparison at `day` sets side by side: the `window` days before the change
 * and the `window` days from it, each clipped to the scored history (`history`, inclusive);
 * null for a period with no scored day (a change before the history, or in the future).
 */
export function comparisonPeriods(day: number, window: number, history: DayRange): { before: DayRange | null; after: DayRange | null } {
  const clip = (from: number, to: number): DayRange | null => {
    const range = { from: Math.max(from, history.from), to: Math.min(to, history.to) };
    return range.to >= range.from ? range : null;
  };
  return { before: clip(day - window, day - 1), after: clip(day, day + window - 1) };
}

/** The changes inside a comparison's span. */
export function changesWithin<T extends KnownChange>(changes: readonly T[], span: { from: number; to: number }): T[] {
  return changes.filter((c) => c.day >= span.from && c.day <= span.to);
}

export interface PlaceboDateOptions {
  /** The first and last day with scores (the dataset's history window). */
  firstDay: number;
  lastDay: number;
  window: number;
  followUp: number;
  /** Every known change, including the one being judged: no placebo span may hold any. */
  changeDays: readonly number[];
}

/**
 * Every date whose whole comparison span lies inside the history (full windows, and for
 * cohorts every account followed to the judged age) and holds no known change, oldest first.
 */
export function quietPlaceboDates(options: PlaceboDateOptions): number[] {
  const { window, followUp } = options;
  const out: number[] = [];
  const changes = [...options.changeDays].sort((a, b) => a - b);
  for (let day = options.firstDay + window; day + window - 1 + followUp <= options.lastDay; day++) {
    const span = comparisonSpan(day, window, followUp);
    if (!changes.some((c) => c >= span.from && c <= span.to)) out.push(day);
  }
  return out;
}

/** Consecutive days grouped into runs, for saying which dates were used. */
export function dayRuns(days: readonly number[]): { from: number; to: number }[] {
  const runs: { from: number; to: number }[] = [];
  for (const day of days) {
    const last = runs.at(-1);
    if (last && day === last.to + 1) last.to = day;
    else runs.push({ from: day, to: day });
  }
  return runs;
}

export interface PlaceboBand {
  /** Placebo dates with a figure (groups big enough on that date). */
  count: number;
  /** How many of them lie before and after the change being judged. */
  earlier: number;
  later: number;
  /** The central 95 % of the placebo differences (2.5 % and 97.5 % quantiles). */
  lower: number;
  upper: number;
  median: number;
  /** Sample standard deviation of the differences (0 with fewer than two). */
  sd: number;
  /** Quiet periods that share no day: dates taken in order, each a whole span after the last. */
  independent: number;
  /** Every placebo difference, sorted ascending. */
  differences: Float64Array;
}

/**
 * The band of a comparison's placebo differences (NaN entries, dates where a group was too
 * small, are left out). `spanDays` is the length of one comparison's span (see
 * comparisonSpan), for counting independent periods. Null when no date had a figure.
 */
export function placeboBand(dates: readonly number[], differences: ArrayLike<number>, changeDay: number, spanDays: number): PlaceboBand | null {
  const kept: number[] = [];
  let earlier = 0;
  let later = 0;
  let independent = 0;
  let lastIndependent = Number.NEGATIVE_INFINITY;
  dates.forEach((day, i) => {
    const d = differences[i];
    if (d === undefined || Number.isNaN(d)) return;
    kept.push(d);
    if (day < changeDay) earlier++;
    else later++;
    if (day - lastIndependent >= spanDays) {
      independent++;
      lastIndependent = day;
    }
  });
  if (kept.length === 0) return null;
  const sorted = Float64Array.from(kept).sort();
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  const sd = kept.length < 2 ? 0 : Math.sqrt(kept.reduce((a, b) => a + (b - mean) ** 2, 0) / (kept.length - 1));
  return {
    count: sorted.length,
    earlier,
    later,
    sd,
    independent,
    lower: quantileOfSorted(sorted, 0.025),
    upper: quantileOfSorted(sorted, 0.975),
    median: quantileOfSorted(sorted, 0.5),
    differences: sorted,
  };
}
