import { BANDS, type Band } from "../scoring/bands";
import { engagementClass, type EngagementClass } from "../scoring/engagement";
import { addValue, emptyMoments, type Moments } from "../stats/moments";
import { medianInPlace } from "../stats/select";
import { NO_SIGNUP, type TeamsDataset } from "./dataset";

/**
 * Pure aggregations over a TeamsDataset. Scores stay in integer hundredths; means and
 * medians come out in (fractional) hundredths, formatted for people by lib/format.
 */

export type BandCounts = Record<Band, number>;

export function bandCountsFrom(counts: ArrayLike<number>, offset = 0): BandCounts {
  return {
    churn_risk: counts[offset] ?? 0,
    low: counts[offset + 1] ?? 0,
    medium: counts[offset + 2] ?? 0,
    high: counts[offset + 3] ?? 0,
    power: counts[offset + 4] ?? 0,
  };
}

export interface CurrentSummary {
  accounts: number;
  meanHundredths: number | null;
  medianHundredths: number | null;
  /** Per band, not counting accounts not active yet (as the overview and the call lists count). */
  bandCounts: BandCounts;
  notActiveYetCount: number;
  decliningCount: number;
  engagementCounts: Record<EngagementClass, number>;
}

/** Today's picture of a group: size, mean and median score, bands, declining, engagement. */
export function currentSummary(ds: TeamsDataset, members: Int32Array): CurrentSummary {
  const n = members.length;
  const scores = new Int32Array(n);
  const bands = new Int32Array(BANDS.length);
  const engagement: Record<EngagementClass, number> = { engaged: 0, responsive: 0, not_engaged: 0 };
  let sum = 0;
  let declining = 0;
  let notActiveYet = 0;
  for (let k = 0; k < n; k++) {
    const i = members[k] ?? 0;
    const score = ds.current[i] ?? 0;
    scores[k] = score;
    sum += score;
    const bandIndex = ds.band[i] ?? 0;
    if (ds.notActiveYet[i]) notActiveYet++;
    else bands[bandIndex] = (bands[bandIndex] ?? 0) + 1;
    if (ds.declining[i]) declining++;
    engagement[engagementClass(BANDS[bandIndex] ?? "churn_risk", score, ds.hasPast[i] ? (ds.previous[i] ?? 0) : null, ds.decline)]++;
  }
  return {
    accounts: n,
    meanHundredths: n === 0 ? null : sum / n,
    medianHundredths: medianInPlace(scores),
    bandCounts: bandCountsFrom(bands),
    notActiveYetCount: notActiveYet,
    decliningCount: declining,
    engagementCounts: engagement,
  };
}

/** A group's daily figures over the whole history window (index 0 = startDay). */
export interface DailySeries {
  /** Accounts that existed (had signed up) on the day. */
  accounts: Int32Array;
  /** Σ score in hundredths over those accounts. */
  sum: Float64Array;
  /** Median score in hundredths (NaN on days without accounts); only when asked for. */
  median: Float64Array | null;
  /** days × 5 counts per band, in BANDS order. */
  bands: Int32Array;
}

const MEDIAN_BLOCK_DAYS = 32;

/**
 * Daily accounts, sums, band counts and (optionally) medians for a group. One sequential pass
 * over each member's history row; medians gather blocks of 32 days at a time so that each
 * row is read contiguously, then select per day (quickselect, no sort).
 */
export function dailySeries(ds: TeamsDataset, members: Int32Array, options: { medians: boolean }): DailySeries {
  return withToday(closedDailySeries(ds, members, options), ds, members);
}

/**
 * dailySeries over the closed days only (every day but the as-of day, whose figures are
 * today's current scores and move with each event): the last day is left empty (0 accounts,
 * NaN median). It depends only on what TeamsDataset.closedVersion follows, so it can be kept
 * across a day of ingestion and completed with withToday per request.
 */
export function closedDailySeries(ds: TeamsDataset, members: Int32Array, options: { medians: boolean }): DailySeries {
  const series = emptySeries(ds.days, options.medians);
  fillDays(ds, members, series, 0, ds.days - 1);
  return series;
}

/** A closed series (closedDailySeries) with the as-of day filled in from the dataset as it is now: a new series, `closed` is not changed. */
export function withToday(closed: DailySeries, ds: TeamsDataset, members: Int32Array): DailySeries {
  const series: DailySeries = {
    accounts: closed.accounts.slice(),
    sum: closed.sum.slice(),
    median: closed.median ? closed.median.slice() : null,
    bands: closed.bands.slice(),
  };
  fillDays(ds, members, series, ds.days - 1, ds.days);
  return series;
}

function emptySeries(days: number, medians: boolean): DailySeries {
  return {
    accounts: new Int32Array(days),
    sum: new Float64Array(days),
    median: medians ? new Float64Array(days).fill(Number.NaN) : null,
    bands: new Int32Array(days * BANDS.length),
  };
}

/** Adds the members' figures of the days [fromDay, toDay) to `series` (empty on those days). */
function fillDays(ds: TeamsDataset, members: Int32Array, series: DailySeries, fromDay: number, toDay: number): void {
  const { days, thresholds, history } = ds;
  const { accounts, sum, bands, median } = series;
  const churnMax = thresholds.churnRiskMax * 100;
  const mediumFrom = thresholds.mediumFrom * 100;
  const highFrom = thresholds.highFrom * 100;
  const powerAbove = thresholds.powerAbove * 100;

  for (let k = 0; k < members.length; k++) {
    const i = members[k] ?? 0;
    const row = i * days;
    const end = Math.min(toDay, ds.endDay[i] ?? 0);
    for (let d = Math.max(fromDay, ds.firstDay[i] ?? 0); d < end; d++) {
      const v = history[row + d] ?? 0;
      accounts[d] = (accounts[d] ?? 0) + 1;
      sum[d] = (sum[d] ?? 0) + v;
      const b = v <= churnMax ? 0 : v < mediumFrom ? 1 : v < highFrom ? 2 : v <= powerAbove ? 3 : 4;
      const cell = d * 5 + b;
      bands[cell] = (bands[cell] ?? 0) + 1;
    }
  }

  if (!median) return;
  const scratch = new Int32Array(members.length * Math.min(MEDIAN_BLOCK_DAYS, Math.max(0, toDay - fromDay)));
  const filled = new Int32Array(MEDIAN_BLOCK_DAYS);
  for (let block = fromDay; block < toDay; block += MEDIAN_BLOCK_DAYS) {
    const width = Math.min(MEDIAN_BLOCK_DAYS, toDay - block);
    filled.fill(0);
    for (let k = 0; k < members.length; k++) {
      const i = members[k] ?? 0;
      const row = i * days;
      const from = Math.max(block, ds.firstDay[i] ?? 0);
      const to = Math.min(block + width, ds.endDay[i] ?? 0);
      for (let d = from; d < to; d++) {
        const slot = d - block;
        const at = filled[slot] ?? 0;
        scratch[slot * members.length + at] = history[row + d] ?? 0;
        filled[slot] = at + 1;
      }
    }
    for (let slot = 0; slot < width; slot++) {
      const n = filled[slot] ?? 0;
      if (n === 0) continue;
      const part = scratch.subarray(slot * members.length, slot * members.length + n);
      median[block + slot] = medianInPlace(part) ?? Number.NaN;
    }
  }
}

/**
 * Mean score per week, ending on the last day of the series: each point averages every
 * account-day of its 7 days, so a sparkline of 52 points carries the whole year.
 */
export function weeklyMeans(series: DailySeries, stepDays = 7): (number | null)[] {
  const days = series.sum.length;
  const weeks = Math.floor(days / stepDays);
  const out: (number | null)[] = [];
  for (let w = 0; w < weeks; w++) {
    const from = days - (weeks - w) * stepDays;
    let s = 0;
    let n = 0;
    for (let d = from; d < from + stepDays; d++) {
      s += series.sum[d] ?? 0;
      n += series.accounts[d] ?? 0;
    }
    out.push(n === 0 ? null : s / n);
  }
  return out;
}

/** A period of whole days as offsets from the dataset's startDay, inclusive. */
export interface DayRange {
  from: number;
  to: number;
}

/**
 * Each member's mean daily score over a period, for members that existed by `existedBy` (at
 * the latest the period's first day) and whose history covers all of the period. Accounts
 * that signed up during the period are left out: a partial period would mix ramp-up into the
 * figure. Comparing two periods, pass the earlier period's first day for both, so both
 * figures are of the same accounts: otherwise accounts that joined in between, still ramping
 * up, pull the later mean down and look like an effect of whatever happened in between.
 */
export function periodMeans(ds: TeamsDataset, members: Int32Array, period: DayRange, existedBy: number = period.from): Moments {
  const m = emptyMoments();
  const length = period.to - period.from + 1;
  if (length <= 0) return m;
  const by = Math.min(existedBy, period.from);
  for (let k = 0; k < members.length; k++) {
    const i = members[k] ?? 0;
    if ((ds.firstDay[i] ?? 0) > by || (ds.endDay[i] ?? 0) <= period.to) continue;
    const row = i * ds.days;
    let s = 0;
    for (let d = period.from; d <= period.to; d++) s += ds.history[row + d] ?? 0;
    addValue(m, s / length);
  }
  return m;
}

/**
 * Members whose signup day lies in [fromDay, toDay] (absolute days) and falls inside the
 * history window, so their score from their first day on is known.
 */
export function cohortMembers(ds: TeamsDataset, members: Int32Array, fromDay: number, toDay: number): Int32Array {
  const out: number[] = [];
  const lo = Math.max(fromDay, ds.startDay);
  for (let k = 0; k < members.length; k++) {
    const i = members[k] ?? 0;
    const signup = ds.signupDay[i] ?? NO_SIGNUP;
    if (signup === NO_SIGNUP || signup < lo || signup > toDay) continue;
    out.push(i);
  }
  return Int32Array.from(out);
}

/**
 * Score by days since signup: for each age 0…maxAge, the moments of the cohort's scores on
 * their signup day + age, over the accounts old enough to have reached that age.
 */
export function scoreByAge(ds: TeamsDataset, cohort: Int32Array, maxAge: number): Moments[] {
  const out = Array.from({ length: maxAge + 1 }, () => emptyMoments());
  for (let k = 0; k < cohort.length; k++) {
    const i = cohort[k] ?? 0;
    const start = (ds.signupDay[i] ?? 0) - ds.startDay;
    const end = ds.endDay[i] ?? 0;
    const row = i * ds.days;
    for (let age = 0; age <= maxAge; age++) {
      const d = start + age;
      if (d >= end) break;
      if (d < 0) continue;
      const moments = out[age];
      if (moments) addValue(moments, ds.history[row + d] ?? 0);
    }
  }
  return out;
}
