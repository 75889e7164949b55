import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoDateFromDay } from "@/lib/days";
import { encodeHistory } from "@/lib/scoring/history";
import { HISTORY_DAYS } from "@/lib/scoring/server/recompute";
import { teamsCacheStats } from "@/lib/teams/server/dataset-cache";
import { getBeforeAfter } from "@/lib/teams/server/compare";
import { getSegments, getTrends } from "@/lib/teams/server/queries";
import { createTestDb } from "./db";

/**
 * Seven accounts with hand-made histories, so that every figure below can be worked out by
 * hand (the comments show how). Scores are in hundredths: 9000 = 90 points.
 */
const { db, cleanup } = await createTestDb();
afterAll(cleanup);

const AS_OF = 20_000;
const START = AS_OF - HISTORY_DAYS + 1;
const ids: Record<string, number> = {};

function series(valueOn: (day: number) => number): number[] {
  return Array.from({ length: HISTORY_DAYS }, (_, i) => valueOn(START + i));
}

beforeAll(async () => {
  const old = isoDateFromDay(AS_OF - 1000);
  const add = async (
    key: string,
    plan: string,
    region: string | null,
    signupDay: number | null,
    current: number,
    previous: number,
    band: string,
    previousBand: string,
    declining: boolean,
    history: number[],
  ) => {
    const id = await db.value<number>(
      sql`INSERT INTO accounts (external_id, name, plan, region, stage, signup_date)
          VALUES (${key}, ${`Account ${key}`}, ${plan}, ${region}, 'customer', ${signupDay === null ? old : isoDateFromDay(signupDay)}) RETURNING id`,
    );
    if (id === undefined) throw new Error("no id");
    ids[key] = id;
    await db.run(
      sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version)
          VALUES (${id}, ${AS_OF}, ${current}, ${previous}, ${band}, ${previousBand}, ${declining ? 1 : 0}, 1)`,
    );
    await db.run(sql`INSERT INTO score_history (account_id, start_day, scores, config_version) VALUES (${id}, ${START}, ${encodeHistory(history)}, 1)`);
  };
  const last30 = (before: number, after: number) => series((d) => (d > AS_OF - 30 ? after : before));
  await add("A", "Starter", "EU", null, 9000, 9000, "high", "high", false, series(() => 9000));
  await add("B", "Starter", "EU", null, 5000, 5000, "medium", "medium", false, series(() => 5000));
  // C fell from 30 to 15 points in the last 30 days: −15 points, −50 %: declining.
  await add("C", "Starter", "US", null, 1500, 3000, "low", "low", true, last30(3000, 1500));
  // D rose from 10 to 25: +15 points, +150 %: rising, so responsive although low.
  await add("D", "Growth", "US", null, 2500, 1000, "low", "low", false, last30(1000, 2500));
  await add("E", "Growth", null, null, -500, 0, "churn_risk", "churn_risk", false, series(() => -500));
  // F signed up 45 days ago: zeros before (not scores: it did not exist), 60 points after.
  const fSignup = AS_OF - 45;
  await add("F", "Growth", "US", fSignup, 6000, 6000, "medium", "low", false, series((d) => (d >= fSignup ? 6000 : 0)));
  // G signed up 80 days ago and ramps up by one point a day: score = age in days.
  const gSignup = AS_OF - 80;
  await add("G", "Enterprise", "EU", gSignup, 8000, 5000, "high", "medium", false, series((d) => (d >= gSignup ? (d - gSignup) * 100 : 0)));

  await db.run(sql`INSERT INTO account_tags (account_id, tag) VALUES (${ids.A}, 'vip'), (${ids.A}, 'pilot'), (${ids.D}, 'pilot')`);
  await db.run(sql`INSERT INTO change_markers (date, title) VALUES (${isoDateFromDay(AS_OF - 60)}, 'Pricing page')`);
});

describe("segments", () => {
  it("summarises each plan as worked out by hand", async () => {
    const data = (await getSegments(db, { dimension: "plan" }));
    expect(data?.asOfDate).toBe(isoDateFromDay(AS_OF));
    const byKey = new Map(data?.segments.map((s) => [s.key, s]));
    // Largest first: Starter (A, B, C) and Growth (D, E, F) have 3, Enterprise (G) 1.
    expect(data?.segments.map((s) => s.key)).toEqual(["Growth", "Starter", "Enterprise"]);

    const starter = byKey.get("Starter");
    expect(starter?.accounts).toBe(3);
    expect(starter?.meanHundredths).toBeCloseTo((9000 + 5000 + 1500) / 3, 9);
    expect(starter?.medianHundredths).toBe(5000);
    expect(starter?.bandCounts).toEqual({ churn_risk: 0, low: 1, medium: 1, high: 1, power: 0 });
    expect(starter?.churnRiskShare).toBe(0);
    expect(starter?.decliningShare).toBeCloseTo(1 / 3, 12);
    expect(starter?.engagement.counts).toEqual({ engaged: 1, responsive: 1, not_engaged: 1 });
    // The last sparkline week lies within the last 30 days: (90 + 50 + 15) / 3.
    expect(starter?.sparkline.at(-1)).toBeCloseTo((9000 + 5000 + 1500) / 3, 1);
    // A year ago C still scored 30: (90 + 50 + 30) / 3.
    expect(starter?.sparkline[0]).toBeCloseTo((9000 + 5000 + 3000) / 3, 1);

    const growth = byKey.get("Growth");
    expect(growth?.meanHundredths).toBeCloseTo((2500 - 500 + 6000) / 3, 9);
    expect(growth?.medianHundredths).toBe(2500);
    expect(growth?.churnRiskShare).toBeCloseTo(1 / 3, 12);
    expect(growth?.decliningShare).toBe(0);
    // D rising (responsive), E churn risk not rising, F medium (responsive).
    expect(growth?.engagement.counts).toEqual({ engaged: 0, responsive: 2, not_engaged: 1 });
    // F did not exist a year ago: the first week averages D (10) and E (−5) only.
    expect(growth?.sparkline[0]).toBeCloseTo((1000 - 500) / 2, 1);
  });

  it("puts accounts without a value in 'Not set', last", async () => {
    const data = (await getSegments(db, { dimension: "region" }));
    expect(data?.segments.map((s) => [s.key, s.accounts])).toEqual([
      ["EU", 3],
      ["US", 3],
      ["__none", 1],
    ]);
    expect(data?.segments.at(-1)?.label).toBe("Not set");
  });

  it("lets tag segments overlap and follows new tags without a full reload", async () => {
    const before = (await getSegments(db, { dimension: "tag" }));
    expect(before?.overlapping).toBe(true);
    expect(before?.segments.map((s) => [s.key, s.accounts])).toEqual([
      ["pilot", 2],
      ["vip", 1],
      ["__none", 5],
    ]);
    const loads = teamsCacheStats(db);
    await db.run(sql`INSERT INTO account_tags (account_id, tag) VALUES (${ids.B}, 'vip')`);
    const after = (await getSegments(db, { dimension: "tag" }));
    expect(after?.segments.find((s) => s.key === "vip")?.accounts).toBe(2);
    expect(after?.segments.find((s) => s.key === "__none")?.accounts).toBe(4);
    const stats = teamsCacheStats(db);
    expect(stats.fullLoads).toBe(loads.fullLoads);
    expect(stats.incrementalLoads).toBe(loads.incrementalLoads + 1);
  });

  it("groups signup cohorts by quarter in time order", async () => {
    const data = (await getSegments(db, { dimension: "signup_quarter" }));
    const keys = data?.segments.map((s) => s.key) ?? [];
    expect([...keys].sort()).toEqual(keys);
    expect(data?.segments.reduce((n, s) => n + s.accounts, 0)).toBe(7);
  });
});

describe("trends", () => {
  it("averages only the accounts that existed on each day", async () => {
    const data = (await getTrends(db, { range: 365, metric: "mean" }));
    const all = data?.series[0];
    expect(data?.startDate).toBe(isoDateFromDay(START));
    // First day: A, B, C, D, E (F and G had not signed up): 90, 50, 30, 10, −5.
    expect(all?.accounts[0]).toBe(5);
    expect(all?.mean[0]).toBeCloseTo((9000 + 5000 + 3000 + 1000 - 500) / 5, 6);
    expect(all?.median[0]).toBe(3000);
    // Last day: all seven: 90, 50, 15, 25, −5, 60, 80.
    expect(all?.accounts.at(-1)).toBe(7);
    expect(all?.mean.at(-1)).toBeCloseTo((9000 + 5000 + 1500 + 2500 - 500 + 6000 + 8000) / 7, 2);
    expect(all?.median.at(-1)).toBe(5000);
    expect(all?.bands.churn_risk.at(-1)).toBe(1);
    expect(all?.bands.high.at(-1)).toBe(2);
  });

  it("slices the range and splits by segment", async () => {
    const data = (await getTrends(db, { range: 30, metric: "mean", dimension: "plan", segments: ["Starter", "Growth"] }));
    expect(data?.series.map((s) => s.key)).toEqual(["Starter", "Growth"]);
    expect(data?.series[0]?.mean).toHaveLength(30);
    expect(data?.startDate).toBe(isoDateFromDay(AS_OF - 29));
    expect(data?.series[0]?.mean[0]).toBeCloseTo((9000 + 5000 + 1500) / 3, 1);
  });
});

describe("before / after", () => {
  it("pairs existing accounts across the periods and compares signup cohorts by age, refusing small groups", async () => {
    const data = (await getBeforeAfter(db, { window: 30, dimension: "plan", horizon: 30 }));
    expect(data?.marker?.title).toBe("Pricing page");
    expect(data?.before).toEqual({ from: isoDateFromDay(AS_OF - 90), to: isoDateFromDay(AS_OF - 61), days: 30 });
    expect(data?.after).toEqual({ from: isoDateFromDay(AS_OF - 60), to: isoDateFromDay(AS_OF - 31), days: 30 });
    const all = data?.existing.rows[0];
    // Paired: A, B, C, D, E are scored through both periods (90, 50, 30, 10, −5 in each); G
    // signed up during the first, so it is scored through the second only and left out; F later.
    expect(all?.design).toBe("paired");
    expect(all?.before.n).toBe(5);
    expect(all?.after.n).toBe(5);
    expect(all?.unpaired).toBe(1);
    expect(all?.before.meanHundredths).toBeCloseTo(17500 / 5, 2);
    expect(all?.after.meanHundredths).toBeCloseTo(17500 / 5, 2);
    expect(all?.before.medianHundredths).toBe(3000);
    expect(all?.verdict).toMatchObject({ kind: "too_small", reason: "accounts" });
    expect(all?.verdict.text).toBe("Too few accounts to tell: 5 scored in both periods; at least 20 are needed.");

    const cohort = data?.cohort;
    // Signed up in the 30 days before the change: G; in the 30 days after: F.
    expect(cohort?.before.accounts).toBe(1);
    expect(cohort?.after.accounts).toBe(1);
    expect(cohort?.before.curve[30]?.meanHundredths).toBe(3000);
    expect(cohort?.after.curve[30]?.meanHundredths).toBe(6000);
    // F is 45 days old: nothing known beyond day 45.
    expect(cohort?.after.curve[45]?.n).toBe(1);
    expect(cohort?.after.curve[46]?.n).toBe(0);
    expect(cohort?.headline.design).toBe("unpaired");
    expect(cohort?.headline.verdict).toMatchObject({ kind: "too_small", reason: "accounts" });
  });
});

describe("cache freshness", () => {
  it("shows an edited or added marker at once, and follows a changed score", async () => {
    const before = (await getBeforeAfter(db, { window: 30, dimension: "plan", horizon: 30 }));
    await db.run(sql`UPDATE change_markers SET title = 'Pricing page v2'`);
    await db.run(sql`INSERT INTO change_markers (date, title) VALUES (${isoDateFromDay(AS_OF - 200)}, 'Older change')`);
    const after = (await getBeforeAfter(db, { window: 30, dimension: "plan", horizon: 30 }));
    expect(before?.marker?.title).toBe("Pricing page");
    expect(after?.marker?.title).toBe("Pricing page v2");
    expect(after?.markers.map((m) => m.title)).toEqual(["Pricing page v2", "Older change"]);

    // Writers of current scores log what they changed (lib/scoring/server/score-change-log.ts), as the score sync and the recompute do.
    await db.transaction(async (tx) => {
      await tx.run(sql`UPDATE account_scores SET score_hundredths = 9900 WHERE account_id = ${ids.B}`);
      await tx.run(sql`INSERT INTO aggregate_changes (account_id) VALUES (${ids.B})`);
    });
    const starter = (await getSegments(db, { dimension: "plan" }))?.segments.find((s) => s.key === "Starter");
    expect(starter?.meanHundredths).toBeCloseTo((9000 + 9900 + 1500) / 3, 9);
  });
});
