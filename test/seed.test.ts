import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayFromIsoDate } from "@/lib/days";
import { generateDemo } from "@/lib/demo/generate";
import { ensureScoresCurrent } from "@/lib/server/freshness";
import { seedDemoData } from "@/lib/server/seed";
import { createTestDatabase } from "./db";

const { db, cleanup } = createTestDatabase();
afterAll(cleanup);
const TODAY = dayFromIsoDate("2026-06-15");

beforeAll(() => {
  seedDemoData(db, { accounts: 120, seed: 42, today: TODAY, batchSize: 50 });
});

describe("seedDemoData", () => {
  it("keeps the daily rollups exactly in step with the raw events", () => {
    const mismatches = db.sqlite
      .prepare(
        `SELECT count(*) FROM (
           SELECT day, account_id, type_id, sum(quantity) AS n FROM events GROUP BY day, account_id, type_id
         ) e FULL OUTER JOIN daily_rollups r USING (day, account_id, type_id)
         WHERE e.n IS NOT r.count`,
      )
      .pluck()
      .get();
    expect(mismatches).toBe(0);
  });

  it("scores every account with a full year of history as of the seed day", () => {
    const row = db.sqlite
      .prepare("SELECT count(*) AS n, min(as_of_day) AS lo, max(as_of_day) AS hi FROM account_scores")
      .get() as { n: number; lo: number; hi: number };
    expect(row).toEqual({ n: 120, lo: TODAY, hi: TODAY });
    // 364 closed days stored; the scores' day is the current score (lib/scoring/history.ts).
    expect(db.sqlite.prepare("SELECT count(*) FROM score_history WHERE length(scores) = 364 * 4").pluck().get()).toBe(120);
  });

  it("stores the renewal outcomes the generator decided, one per account and renewal", () => {
    const expected = [...generateDemo({ accounts: 120, seed: 42, today: TODAY, historyDays: 395 })].reduce((n, a) => n + a.outcomes.length, 0);
    expect(expected).toBeGreaterThan(20);
    expect(db.sqlite.prepare("SELECT count(*) FROM renewal_outcomes WHERE source = 'demo'").pluck().get()).toBe(expected);
    // Churned accounts' last outcome is their churn, on their renewal date.
    const mismatched = db.sqlite
      .prepare(
        `SELECT count(*) FROM accounts a WHERE a.stage = 'churned' AND NOT EXISTS (
           SELECT 1 FROM renewal_outcomes o WHERE o.account_id = a.id AND o.outcome = 'churned' AND o.renewal_date = a.renewal_date)`,
      )
      .pluck()
      .get();
    expect(mismatched).toBe(0);
  });

  it("records configuration version 1 and the documentation-overhaul marker", () => {
    expect(db.sqlite.prepare("SELECT config_version FROM scoring_settings").pluck().get()).toBe(1);
    expect(db.sqlite.prepare("SELECT title FROM change_markers").pluck().all()).toEqual(["Documentation overhaul"]);
  });

  it("refuses to seed a database that already holds data", () => {
    expect(() => seedDemoData(db, { accounts: 5, seed: 1, today: TODAY })).toThrow(/already holds data/);
    expect(db.sqlite.prepare("SELECT count(*) FROM accounts").pluck().get()).toBe(120);
  });

  it("recomputes when the day turns, and not before", () => {
    expect(ensureScoresCurrent(db, TODAY)).toBeNull();
    const summary = ensureScoresCurrent(db, TODAY + 1);
    expect(summary?.asOfDay).toBe(TODAY + 1);
    expect(db.sqlite.prepare("SELECT min(as_of_day) FROM account_scores").pluck().get()).toBe(TODAY + 1);
  });
});
