import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { dayFromIsoDate } from "@/lib/days";
import { generateDemo } from "@/lib/demo/generate";
import { ensureScoresCurrent } from "@/lib/scoring/server/freshness";
import { seedDemoData } from "@/lib/demo/server/seed";
import { createTestDb } from "./db";

let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());
const TODAY = dayFromIsoDate("2026-06-15");

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await seedDemoData(db, { accounts: 120, seed: 42, today: TODAY, batchSize: 50 });
});

describe("seedDemoData", () => {
  it("keeps the daily rollups exactly in step with the raw events", async () => {
    const mismatches = await db.value<number>(
      sql`SELECT count(*) FROM (
           SELECT day, account_id, type_id, sum(quantity) AS n FROM events GROUP BY day, account_id, type_id
         ) e FULL OUTER JOIN daily_rollups r USING (day, account_id, type_id)
         WHERE e.n IS DISTINCT FROM r.count`,
    );
    expect(mismatches).toBe(0);
  });

  it("scores every account with a full year of history as of the seed day", async () => {
    const row = await db.get<{ n: number; lo: number; hi: number }>(sql`SELECT count(*) AS n, min(as_of_day) AS lo, max(as_of_day) AS hi FROM account_scores`);
    expect(row).toEqual({ n: 120, lo: TODAY, hi: TODAY });
    // 364 closed days stored; the scores' day is the current score (lib/scoring/history.ts).
    expect(await db.value<number>(sql`SELECT count(*) FROM score_history WHERE length(scores) = ${364 * 4}`)).toBe(120);
  });

  it("stores the renewal outcomes the generator decided, one per account and renewal", async () => {
    const demo = [...generateDemo({ accounts: 120, seed: 42, today: TODAY, historyDays: 395 })];
    const expected = demo.reduce((n, a) => n + a.outcomes.length, 0);
    expect(expected).toBeGreaterThan(20);
    expect(await db.value<number>(sql`SELECT count(*) FROM renewal_outcomes WHERE source = 'demo'`)).toBe(expected);
    // The amounts as generated (floats on both databases).
    const arr = demo.flatMap((a) => a.outcomes.map((o) => o.arrBefore + o.arrAfter)).reduce((s, v) => s + v, 0);
    expect(await db.value<number>(sql`SELECT sum(arr_before + arr_after) FROM renewal_outcomes WHERE source = 'demo'`)).toBeCloseTo(arr, 6);
    // Churned accounts' last outcome is their churn, on their renewal date.
    const mismatched = await db.value<number>(
      sql`SELECT count(*) FROM accounts a WHERE a.stage = 'churned' AND NOT EXISTS (
           SELECT 1 FROM renewal_outcomes o WHERE o.account_id = a.id AND o.outcome = 'churned' AND o.renewal_date = a.renewal_date)`,
    );
    expect(mismatched).toBe(0);
  });

  it("records configuration version 1 and the documentation-overhaul marker", async () => {
    expect(await db.value<number>(sql`SELECT config_version FROM scoring_settings`)).toBe(1);
    expect((await db.all<{ title: string }>(sql`SELECT title FROM change_markers`)).map((r) => r.title)).toEqual(["Documentation overhaul"]);
  });

  it("refuses to seed a database that already holds data", async () => {
    await expect(seedDemoData(db, { accounts: 5, seed: 1, today: TODAY })).rejects.toThrow(/already holds data/);
    expect(await db.value<number>(sql`SELECT count(*) FROM accounts`)).toBe(120);
  });

  it("recomputes when the day turns, and not before", async () => {
    expect(await ensureScoresCurrent(db, TODAY)).toBeNull();
    const summary = await ensureScoresCurrent(db, TODAY + 1);
    expect(summary?.asOfDay).toBe(TODAY + 1);
    expect(await db.value<number>(sql`SELECT min(as_of_day) FROM account_scores`)).toBe(TODAY + 1);
  });
});
