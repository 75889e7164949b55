import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { bandFor } from "@/lib/scoring/bands";
import type { Activity } from "@/lib/scoring/standing";
import { getOverview } from "@/lib/overview/server/overview";
import { createTestDb } from "./db";

/**
 * The overview's figures against a hand-worked book (issue 13): accounts not active yet are
 * onboarding, in no band; churned accounts are no longer customers and leave the figures; a
 * new account (no previous score) is never among the movers.
 */
let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());

const TODAY = 20_500;

interface Fixture {
  name: string;
  score: number;
  /** null: new, no previous score. */
  previous: number | null;
  activity?: Activity;
  stage?: "trial" | "customer" | "churned";
  declining?: boolean;
}

const FIXTURES: Fixture[] = [
  { name: "Power Co", score: 150, previous: 140 },
  { name: "High Co", score: 90, previous: 60 }, // +30: the biggest riser
  { name: "Medium Co", score: 50, previous: 80, declining: true }, // −30: the biggest drop
  { name: "Low Co", score: 20, previous: 25 },
  { name: "Silent Co", score: 0, previous: 0, activity: "silent" },
  { name: "Negative Co", score: -15, previous: 0, declining: true }, // −15
  { name: "Fresh Co", score: 0, previous: null, activity: "not_active_yet", stage: "trial" },
  { name: "Rookie Co", score: 95, previous: null, stage: "trial" }, // +95 from nothing: not a riser
  { name: "Gone Co", score: 0, previous: 70, activity: "silent", stage: "churned", declining: true }, // −70, but churned
];

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  for (const [i, f] of FIXTURES.entries()) {
    const id = await db.value<number>(sql`INSERT INTO accounts (external_id, name, stage) VALUES (${`o-${i}`}, ${f.name}, ${f.stage ?? "customer"}) RETURNING id`);
    const activity = f.activity ?? "active";
    await db.run(
      sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version,
            first_day, activity, previous_activity)
          VALUES (${id}, ${TODAY}, ${f.score * 100}, ${(f.previous ?? 0) * 100}, ${bandFor(f.score)}, ${bandFor(f.previous ?? 0)}, ${f.declining ? 1 : 0}, 1,
            ${f.previous === null ? TODAY - 5 : TODAY - 400}, ${activity},
            ${f.previous === null ? null : activity === "not_active_yet" ? "not_active_yet" : "active"})`,
    );
  }
});

describe("getOverview", () => {
  it("counts trials and customers per band, accounts not active yet apart, churned accounts not at all", async () => {
    const o = await getOverview(db);
    expect(o.totalAccounts).toBe(9);
    expect(o.churnedAccounts).toBe(1);
    expect(o.countedAccounts).toBe(8);
    expect(Object.fromEntries(o.bandCounts.map((b) => [b.band, b.count]))).toEqual({ power: 1, high: 2, medium: 1, low: 1, churn_risk: 2 });
    expect(o.bandCounts.find((b) => b.band === "high")?.share).toBe(2 / 8);
    expect(o.notActiveYet).toEqual({ count: 1, share: 1 / 8 });
    // Churn risk: Silent Co is silent, Negative Co has negative signals; Gone Co churned.
    expect(o.churnRiskSilent).toBe(1);
  });

  it("averages the counted accounts and leaves those not active yet out of the distribution", async () => {
    const o = await getOverview(db);
    // (150 + 90 + 50 + 20 + 0 − 15 + 0 + 95) / 8 = 48.75
    expect(o.averageHundredths).toBe(4875);
    expect(o.histogram.reduce((n, b) => n + b.count, 0)).toBe(7);
    expect(o.histogram[0]).toMatchObject({ label: "≤ 0", count: 2 });
  });

  it("ranks only accounts that existed on the comparison day, and no churned one, as movers", async () => {
    const o = await getOverview(db);
    expect(o.risers.map((m) => m.name)).toEqual(["High Co", "Power Co"]);
    expect(o.fallers.map((m) => m.name)).toEqual(["Medium Co", "Negative Co", "Low Co"]);
    expect(o.fallers[0]).toMatchObject({ deltaHundredths: -3000, previousBand: "high", band: "medium" });
    expect(o.decliningCount).toBe(2);
  });
});

describe("getOverview's cache", () => {
  it("serves the same figures until something is written, then the new ones", async () => {
    const before = await getOverview(db);
    expect(await getOverview(db)).toBe(before);
    await db.run(sql`UPDATE account_scores SET declining = 1 WHERE account_id = (SELECT id FROM accounts WHERE name = 'Low Co')`);
    const after = await getOverview(db);
    expect(after).not.toBe(before);
    expect(after.decliningCount).toBe(before.decliningCount + 1);
    await db.run(sql`UPDATE account_scores SET declining = 0 WHERE account_id = (SELECT id FROM accounts WHERE name = 'Low Co')`);
    expect((await getOverview(db)).decliningCount).toBe(before.decliningCount);
  });

  it("orders movers that moved as far by name, byte by byte, on both databases", async () => {
    await db.transaction(async (tx) => {
      for (const name of ["beta Co", "Alpha Co"]) {
        const id = await tx.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES (${name}, ${name}) RETURNING id`);
        await tx.run(
          sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version,
                first_day, activity, previous_activity)
              VALUES (${id}, ${TODAY}, 13000, 10000, 'high', 'high', 0, 1, ${TODAY - 400}, 'active', 'active')`,
        );
      }
    });
    const o = await getOverview(db);
    // +30 like High Co: "Alpha Co" < "High Co" < "beta Co" in byte order.
    expect(o.risers.map((m) => m.name).slice(0, 3)).toEqual(["Alpha Co", "High Co", "beta Co"]);
  });
});
