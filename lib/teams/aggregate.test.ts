import { describe, expect, it } from "vitest";
import { bandFor, DEFAULT_THRESHOLDS } from "../scoring/bands";
import { DEFAULT_DECLINE_RULE } from "../scoring/decline";
import { closedDailySeries, currentSummary, dailySeries, weeklyMeans, withToday } from "./aggregate";
import { allMembers, createDataset, writeAccount, type AccountRecord } from "./dataset";

function record(id: number, history: number[], signupDay: number | null = null, firstKnownDay: number | null = null): AccountRecord {
  const current = history.at(-1) ?? 0;
  return {
    id,
    plan: "Starter",
    region: null,
    industry: null,
    accountManager: null,
    stage: "customer",
    signupDate: null,
    signupDay,
    firstKnownDay,
    currentHundredths: current,
    previousHundredths: current,
    hasPast: true,
    notActiveYet: false,
    band: bandFor(current / 100),
    declining: false,
    tags: [],
    history: Int32Array.from(history),
    historyStartDay: 100,
  };
}

describe("dailySeries", () => {
  it("counts each account only from its signup day, with exact medians (by hand)", () => {
    const ds = createDataset({ asOfDay: 109, days: 10, capacity: 4, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE });
    writeAccount(ds, record(1, [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]));
    writeAccount(ds, record(2, [0, 0, 0, 0, 0, 5000, 5000, 5000, 5000, 5000], 105));
    writeAccount(ds, record(3, [9000, 9000, 9000, 9000, 9000, 9000, 9000, 9000, 9000, -100]));
    const s = dailySeries(ds, allMembers(ds), { medians: true });
    // Days 0–4: accounts 1 and 3 (10 and 90 points); days 5–8: all three (10, 50, 90).
    expect(Array.from(s.accounts)).toEqual([2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
    expect(s.sum[0]).toBe(10000);
    expect(s.median?.[0]).toBe(5000);
    expect(s.median?.[5]).toBe(5000);
    // Day 9: 10, 50, −1 → median 10; bands: one churn risk, one low, one medium.
    expect(s.median?.[9]).toBe(1000);
    expect(Array.from(s.bands.subarray(45, 50))).toEqual([1, 1, 1, 0, 0]);
    // Weekly means of 5 days each: (10 + 90)·5 / 10 and (10·5 + 50·5 + 90·4 − 1) / 15.
    expect(weeklyMeans(s, 5)).toEqual([5000, (1000 * 5 + 5000 * 5 + 9000 * 4 - 100) / 15]);
  });

  it("counts an account without a signup date from its first known day (its first event): no zeros before it existed", () => {
    const ds = createDataset({ asOfDay: 109, days: 10, capacity: 2, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE });
    writeAccount(ds, record(1, [0, 0, 0, 0, 0, 0, 0, 2000, 2000, 2000], null, 107));
    expect(Array.from(dailySeries(ds, allMembers(ds), { medians: false }).accounts)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });

  it("does not count a new account as rising in the engagement index: it has no earlier score", () => {
    const ds = createDataset({ asOfDay: 109, days: 10, capacity: 2, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE });
    writeAccount(ds, { ...record(1, Array(10).fill(3000)), previousHundredths: 0, hasPast: false });
    writeAccount(ds, { ...record(2, Array(10).fill(3000)), previousHundredths: 0, hasPast: true });
    expect(currentSummary(ds, allMembers(ds)).engagementCounts).toEqual({ engaged: 0, responsive: 1, not_engaged: 1 });
  });

  it("summarises the current picture with the median of an even count", () => {
    const ds = createDataset({ asOfDay: 109, days: 10, capacity: 4, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE });
    for (const [id, score] of [[1, 1000], [2, 3000], [3, 8000], [4, -200]] as const) writeAccount(ds, record(id, Array(10).fill(score)));
    const s = currentSummary(ds, allMembers(ds));
    expect(s.meanHundredths).toBe((1000 + 3000 + 8000 - 200) / 4);
    expect(s.medianHundredths).toBe(2000);
    expect(s.bandCounts).toEqual({ churn_risk: 1, low: 2, medium: 0, high: 1, power: 0 });
  });
});

describe("closedDailySeries and withToday", () => {
  const shape = { asOfDay: 109, days: 10, capacity: 4, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE };

  it("leave today empty, then fill it from the current scores without touching the closed days (by hand)", () => {
    const ds = createDataset(shape);
    writeAccount(ds, record(1, [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]));
    writeAccount(ds, record(2, [0, 0, 0, 0, 0, 5000, 5000, 5000, 5000, 5000], 105));
    const members = allMembers(ds);
    const closed = closedDailySeries(ds, members, { medians: true });
    expect(Array.from(closed.accounts)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 0]);
    expect(closed.median?.[9]).toBeNaN();
    // Today account 2 climbs to 70 points: only day 9 moves.
    writeAccount(ds, { ...record(2, [0, 0, 0, 0, 0, 5000, 5000, 5000, 5000, 7000], 105) });
    const today = withToday(closed, ds, members);
    expect(today.sum[9]).toBe(8000);
    expect(today.median?.[9]).toBe(4000);
    // 10 points is low, 70 medium.
    expect(Array.from(today.bands.subarray(45, 50))).toEqual([0, 1, 1, 0, 0]);
    expect(today.sum[8]).toBe(6000);
    // The closed series itself is left as it was, to be completed again after the next change.
    expect(closed.accounts[9]).toBe(0);
    expect(closed.sum[9]).toBe(0);
  });

  it("together equal dailySeries on a random dataset", () => {
    const ds = createDataset({ ...shape, capacity: 40 });
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 12000;
    for (let id = 1; id <= 40; id++) {
      const history = Array.from({ length: 10 }, () => next() - 500);
      writeAccount(ds, record(id, history, id % 3 === 0 ? 100 + (id % 10) : null, id % 5 === 0 ? 100 + (id % 7) : null));
    }
    const members = Int32Array.from([0, 3, 4, 9, 10, 17, 22, 23, 31, 39]);
    for (const medians of [true, false]) {
      const whole = dailySeries(ds, members, { medians });
      const split = withToday(closedDailySeries(ds, members, { medians }), ds, members);
      expect(Array.from(split.accounts)).toEqual(Array.from(whole.accounts));
      expect(Array.from(split.sum)).toEqual(Array.from(whole.sum));
      expect(Array.from(split.bands)).toEqual(Array.from(whole.bands));
      expect(split.median ? Array.from(split.median) : null).toEqual(whole.median ? Array.from(whole.median) : null);
    }
  });
});

describe("writeAccount", () => {
  const shape = { asOfDay: 109, days: 10, capacity: 4, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE };
  const flat = (score: number) => Array<number>(10).fill(score);

  it("says whether more than today's figures changed", () => {
    const ds = createDataset(shape);
    expect(writeAccount(ds, record(1, flat(1000)))).toBe(true); // a new account
    expect(writeAccount(ds, record(1, flat(1000)))).toBe(false); // the same again
    expect(writeAccount(ds, record(1, [...flat(1000).slice(0, 9), 4000]))).toBe(false); // today's score only
    expect(writeAccount(ds, record(1, [...flat(1000).slice(0, 8), 2000, 4000]))).toBe(true); // a closed day
    const same = [...flat(1000).slice(0, 8), 2000, 4000];
    expect(writeAccount(ds, { ...record(1, same), plan: "Growth" })).toBe(true); // its segment
    expect(writeAccount(ds, { ...record(1, same), plan: "Growth", tags: ["vip"] })).toBe(true); // its tags
    expect(writeAccount(ds, { ...record(1, same), plan: "Growth", tags: ["vip"] })).toBe(false);
    expect(writeAccount(ds, { ...record(1, same, 103), plan: "Growth", tags: ["vip"] })).toBe(true); // its signup
  });
});
