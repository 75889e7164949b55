import { describe, expect, it } from "vitest";
import { DEFAULT_DECLINE_RULE } from "../../scoring/decline";
import { DEFAULT_THRESHOLDS } from "../../scoring/bands";
import { createDataset, writeAccount, type TeamsDataset } from "../dataset";
import { cohortPlaceboDifferences, cohortScoresAtAge } from "./cohort";
import { pairedChanges, pairedPlaceboMeans } from "./existing";

/** A 40-day history (days 1000…1039) with hand-made daily scores in hundredths. */
const START = 1000;
const DAYS = 40;

function dataset(accounts: { signup: number | null; score: (day: number) => number }[]): TeamsDataset {
  const ds = createDataset({ asOfDay: START + DAYS - 1, days: DAYS, capacity: accounts.length, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE });
  accounts.forEach((a, i) => {
    const history = Int32Array.from({ length: DAYS }, (_, d) => (a.signup !== null && START + d < a.signup ? 0 : a.score(START + d)));
    writeAccount(ds, {
      id: i + 1,
      plan: "P",
      region: null,
      industry: null,
      accountManager: null,
      stage: "customer",
      signupDate: null,
      signupDay: a.signup,
      firstKnownDay: a.signup ?? START,
      hasPast: true,
      notActiveYet: false,
      currentHundredths: history[DAYS - 1] ?? 0,
      previousHundredths: 0,
      band: "low",
      declining: false,
      tags: [],
      history,
      historyStartDay: START,
    });
  });
  return ds;
}

const everyone = (ds: TeamsDataset) => Int32Array.from({ length: ds.count }, (_, i) => i);

describe("pairedChanges", () => {
  it("pairs the accounts scored through both periods, each with its two means and its change", () => {
    const ds = dataset([
      { signup: null, score: () => 1000 }, // flat 10 points: change 0
      { signup: null, score: (d) => (d >= START + 20 ? 3000 : 1000) }, // 10 → 30 at day 20: +20
      { signup: START + 15, score: () => 5000 }, // joined during the first period: scored through the second only
    ]);
    // Periods as offsets: before 10…19, after 20…29.
    const paired = pairedChanges(ds, everyone(ds), { from: 10, to: 19 }, { from: 20, to: 29 });
    expect(Array.from(paired.before)).toEqual([1000, 1000]);
    expect(Array.from(paired.after)).toEqual([1000, 3000]);
    expect(Array.from(paired.changes)).toEqual([0, 2000]);
    expect(paired.unpaired).toBe(1);
  });
});

describe("pairedPlaceboMeans", () => {
  it("gives each date the mean change over its two windows, for the accounts scored throughout them", () => {
    // Account 0 rises by one point a day (100 hundredths): every window of 5 days after minus the
    // 5 before differs by 5 days × 100 = 500. Account 1 is flat at 20 points: 0. Mean: 250.
    // Account 2 joined on day 20 (offset 20): only dates p with p − 5 ≥ 20 count it (its change: 0).
    const ds = dataset([
      { signup: null, score: (d) => (d - START) * 100 },
      { signup: null, score: () => 2000 },
      { signup: START + 20, score: () => 4000 },
    ]);
    const [all] = pairedPlaceboMeans(ds, [everyone(ds)], 5, [5, 10, 24, 25, 35], 2);
    expect(Array.from(all ?? [])).toEqual([250, 250, 250, 500 / 3, 500 / 3]);
    // p = 36 would need day 40, beyond the history: no account qualifies.
    const [late] = pairedPlaceboMeans(ds, [everyone(ds)], 5, [36], 1);
    expect(Number.isNaN(late?.[0])).toBe(true);
    // Below the minimum number of accounts a date has no figure.
    const [few] = pairedPlaceboMeans(ds, [everyone(ds)], 5, [10, 30], 3);
    expect(Number.isNaN(few?.[0])).toBe(true);
    expect(few?.[1]).toBeCloseTo(500 / 3, 12);
  });
});

describe("cohorts", () => {
  // Signups on days 1010…1019, one a day; each scores (its signup offset) × 100 on every day,
  // e.g. the account that signed up on day 1012 scores 1200 from then on.
  const ds = dataset(Array.from({ length: 10 }, (_, k) => ({ signup: START + 10 + k, score: () => (10 + k) * 100 })));

  it("takes each account's score on day `age` after its own signup, once it is that old", () => {
    expect(Array.from(cohortScoresAtAge(ds, everyone(ds), START + 10, START + 12, 5))).toEqual([1000, 1100, 1200]);
    // Day 25 after a signup on day 1015 is day 1040: beyond the history, so not yet known.
    expect(Array.from(cohortScoresAtAge(ds, everyone(ds), START + 13, START + 19, 25))).toEqual([1300, 1400]);
  });

  it("compares the signups of the window after each placebo date with those of the window before", () => {
    // p = 1015, window 3: before 1012…1014 → 12, 13, 14 (mean 13); after 1015…1017 → 15, 16, 17 (mean 16): +3 points.
    const [a, b] = cohortPlaceboDifferences(ds, everyone(ds), 3, 5, [START + 15, START + 12], 3);
    expect(a).toBeCloseTo(300, 12);
    // p = 1012: before 1009…1011 holds two signups (1010, 1011): fewer than 3, no figure.
    expect(Number.isNaN(b)).toBe(true);
  });
});
