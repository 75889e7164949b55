import { NO_SIGNUP, type TeamsDataset } from "../dataset";

/**
 * New accounts compared at equal age: the score on day `age` since signup of the accounts
 * that signed up in a range of days. Different accounts before and after, so an unpaired
 * design. Days here are absolute day numbers; scores are hundredths.
 */

function signupOffset(ds: TeamsDataset, i: number): number | null {
  const signup = ds.signupDay[i] ?? NO_SIGNUP;
  // Only signups inside the history window: their score from the first day on is known.
  if (signup === NO_SIGNUP || signup < ds.startDay) return null;
  return signup - ds.startDay;
}

/** Scores on day `age` after signup of the members that signed up in [from, to] and are that old by now. */
export function cohortScoresAtAge(ds: TeamsDataset, members: Int32Array, from: number, to: number, age: number): Float64Array {
  const out: number[] = [];
  for (let k = 0; k < members.length; k++) {
    const i = members[k] ?? 0;
    const offset = signupOffset(ds, i);
    if (offset === null) continue;
    const signup = offset + ds.startDay;
    if (signup < from || signup > to) continue;
    const day = offset + age;
    if (day >= (ds.endDay[i] ?? 0)) continue;
    out.push(ds.history[i * ds.days + day] ?? 0);
  }
  return Float64Array.from(out);
}

/**
 * The placebo differences of the cohort comparison: at each placebo date p (absolute), the
 * mean score at `age` of the accounts that signed up in [p, p + window − 1] minus that of
 * those that signed up in [p − window, p − 1]. NaN where either cohort has fewer than
 * `minAccounts`. Per-signup-day sums make each date O(1).
 */
export function cohortPlaceboDifferences(
  ds: TeamsDataset,
  members: Int32Array,
  window: number,
  age: number,
  placeboDays: readonly number[],
  minAccounts: number,
): Float64Array {
  const sums = new Float64Array(ds.days + 1);
  const counts = new Int32Array(ds.days + 1);
  for (let k = 0; k < members.length; k++) {
    const i = members[k] ?? 0;
    const offset = signupOffset(ds, i);
    if (offset === null) continue;
    const day = offset + age;
    if (day >= (ds.endDay[i] ?? 0)) continue;
    sums[offset + 1] = (sums[offset + 1] ?? 0) + (ds.history[i * ds.days + day] ?? 0);
    counts[offset + 1] = (counts[offset + 1] ?? 0) + 1;
  }
  // Prefix sums: entry o + 1 holds everything that signed up on offsets 0…o.
  for (let o = 1; o <= ds.days; o++) {
    sums[o] = (sums[o] ?? 0) + (sums[o - 1] ?? 0);
    counts[o] = (counts[o] ?? 0) + (counts[o - 1] ?? 0);
  }
  const range = (fromDay: number, toDay: number) => {
    const a = Math.max(0, Math.min(ds.days, fromDay - ds.startDay));
    const b = Math.max(0, Math.min(ds.days, toDay - ds.startDay + 1));
    return { sum: (sums[b] ?? 0) - (sums[a] ?? 0), n: (counts[b] ?? 0) - (counts[a] ?? 0) };
  };
  return Float64Array.from(placeboDays, (p) => {
    const before = range(p - window, p - 1);
    const after = range(p, p + window - 1);
    if (before.n < minAccounts || after.n < minAccounts) return Number.NaN;
    return after.sum / after.n - before.sum / before.n;
  });
}
