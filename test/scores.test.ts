import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { decodeHistory, historyThroughDay } from "@/lib/scoring/history";
import { recomputeScores, refreshScoresOf } from "@/lib/scoring/server/recompute-db";
import { createTestDb } from "./db";

let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());

const TODAY = 20_000;
let ids: Record<string, number> = {};

async function insertId(query: ReturnType<typeof sql>): Promise<number> {
  const id = await db.value<number>(query);
  if (id === undefined) throw new Error("no id returned");
  return id;
}

async function rollup(day: number, accountId: number | undefined, typeId: number, count: number): Promise<void> {
  await db.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (${day}, ${accountId ?? -1}, ${typeId}, ${count})`);
}

async function scoreOf(accountId: number | undefined): Promise<number | undefined> {
  return db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${accountId ?? -1}`);
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  const type = (key: string, label: string, weight: number, active: number) =>
    insertId(sql`INSERT INTO event_types (key, label, weight_hundredths, active) VALUES (${key}, ${label}, ${weight}, ${active}) RETURNING id`);
  const session = await type("session_started", "Session started", 150, 1); // 1.5
  const invite = await type("colleague_invited", "Colleague invited", 1000, 1); // 10
  const uninstall = await type("mobile_app_uninstalled", "Mobile app uninstalled", -1500, 1); // −15
  const retired = await type("old_signal", "Retired signal", 5000, 0); // inactive: weighs 0

  const account = (externalId: string, name: string) => insertId(sql`INSERT INTO accounts (external_id, name) VALUES (${externalId}, ${name}) RETURNING id`);
  ids = {
    steady: await account("a1", "Steady Co"),
    faller: await account("a2", "Faller Inc"),
    silent: await account("a3", "Silent Ltd"),
    edge: await account("a4", "Edge GmbH"),
  };
  // Steady: 20 sessions + 1 invite now (40 points); 20 sessions + 1 invite 30 days earlier (40).
  await rollup(TODAY - 3, ids.steady, session, 20);
  await rollup(TODAY - 10, ids.steady, invite, 1);
  await rollup(TODAY - 33, ids.steady, session, 20);
  await rollup(TODAY - 40, ids.steady, invite, 1);
  // Faller: now 4 sessions + 1 uninstall = 6 − 15 = −9; before 40 sessions + 2 invites = 80.
  await rollup(TODAY, ids.faller, session, 4);
  await rollup(TODAY - 29, ids.faller, uninstall, 1);
  await rollup(TODAY - 30, ids.faller, session, 40);
  await rollup(TODAY - 59, ids.faller, invite, 2);
  await rollup(TODAY - 5, ids.faller, retired, 100); // inactive type: no points
  // Edge: one invite exactly on each window edge and one just outside each.
  await rollup(TODAY, ids.edge, invite, 1); // last day of the current window
  await rollup(TODAY - 29, ids.edge, invite, 1); // first day of the current window
  await rollup(TODAY + 1, ids.edge, invite, 1); // tomorrow: outside
  await rollup(TODAY - 60, ids.edge, invite, 1); // the day before the previous window
});

describe("current and previous scores (from the day-first rollups)", () => {
  it("match the hand-worked numbers, window edges included", async () => {
    await recomputeScores(db, { asOfDay: TODAY, historyDays: 90 });
    const pairs = await db.all<{ accountId: number; current: number; previous: number }>(
      sql`SELECT account_id AS "accountId", score_hundredths AS current, previous_hundredths AS previous FROM account_scores`,
    );
    const byId = new Map(pairs.map((p) => [p.accountId, p]));
    expect(byId.get(ids.steady ?? -1)).toMatchObject({ current: 4000, previous: 4000 });
    expect(byId.get(ids.faller ?? -1)).toMatchObject({ current: -900, previous: 8000 });
    expect(byId.get(ids.silent ?? -1)).toMatchObject({ current: 0, previous: 0 });
    expect(byId.get(ids.edge ?? -1)).toMatchObject({ current: 2000, previous: 0 });
    expect(pairs).toHaveLength(4);
  });

  it("reads a comparison window that lies before the history (compare days > history days)", async () => {
    await db.run(sql`UPDATE scoring_settings SET compare_days = 100`);
    try {
      await recomputeScores(db, { asOfDay: TODAY, historyDays: 90 });
      // Faller's previous window is TODAY − 129 … TODAY − 100: no events there.
      const previous = () => db.value<number>(sql`SELECT previous_hundredths FROM account_scores WHERE account_id = ${ids.faller ?? -1}`);
      expect(await previous()).toBe(0);
      await db.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) SELECT ${TODAY - 120}, ${ids.faller ?? -1}, id, 3 FROM event_types WHERE key = 'colleague_invited'`);
      await recomputeScores(db, { asOfDay: TODAY, historyDays: 90 });
      expect(await previous()).toBe(3000);
      await db.run(sql`DELETE FROM daily_rollups WHERE day = ${TODAY - 120}`);
    } finally {
      await db.run(sql`UPDATE scoring_settings SET compare_days = 30`);
    }
  });
});

describe("recomputeScores", () => {
  it("stores bands, declining flags and a daily history that ends at the current score", async () => {
    const summary = await recomputeScores(db, { asOfDay: TODAY, historyDays: 90 });
    expect(summary.accounts).toBe(4);
    const rows = await db.all<{ id: number; score: number; previous: number; band: string; previousBand: string; declining: number; asOf: number }>(
      sql`SELECT account_id AS id, score_hundredths AS score, previous_hundredths AS previous, band, previous_band AS "previousBand", declining, as_of_day AS "asOf" FROM account_scores`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids.steady ?? -1)).toMatchObject({ band: "medium", previousBand: "medium", declining: 0, asOf: TODAY });
    expect(byId.get(ids.faller ?? -1)).toMatchObject({ band: "churn_risk", previousBand: "high", declining: 1 });
    expect(byId.get(ids.silent ?? -1)).toMatchObject({ score: 0, band: "churn_risk", declining: 0 });
    expect(byId.get(ids.edge ?? -1)).toMatchObject({ score: 2000, band: "low", declining: 0 });

    const history = await db.all<{ id: number; startDay: number; scores: Buffer }>(sql`SELECT account_id AS id, start_day AS "startDay", scores FROM score_history`);
    expect(history).toHaveLength(4);
    for (const h of history) {
      const row = byId.get(h.id);
      // Stored: the 89 closed days; the scores' day is the current score.
      expect(decodeHistory(h.scores).length).toBe(89);
      const series = historyThroughDay(h.scores, h.startDay, TODAY, row?.score ?? Number.NaN);
      expect(h.startDay).toBe(TODAY - 89);
      expect(series.length).toBe(90);
      expect(series[89]).toBe(row?.score);
      expect(series[89 - 30]).toBe(row?.previous);
    }
  });

  it("replaces the previous results when run again with new weights", async () => {
    await db.run(sql`UPDATE event_types SET weight_hundredths = 200 WHERE key = 'session_started'`);
    await recomputeScores(db, { asOfDay: TODAY, historyDays: 90 });
    expect(await scoreOf(ids.steady)).toBe(20 * 200 + 1000); // 2 × 20 + 10 = 50 points
    expect(await db.value<number>(sql`SELECT count(*) FROM account_scores`)).toBe(4);
  });
});

describe("refreshScoresOf", () => {
  it("updates only the given accounts, as of the day the stored scores are for", async () => {
    // A new invitation for the silent account today, and one for steady that is NOT refreshed.
    const invite = (await db.value<number>(sql`SELECT id FROM event_types WHERE key = 'colleague_invited'`)) ?? -1;
    await rollup(TODAY, ids.silent, invite, 5);
    await rollup(TODAY - 1, ids.steady, invite, 1);
    const before = await scoreOf(ids.steady);

    const summary = await refreshScoresOf(db, [ids.silent ?? -1]);
    expect(summary).toMatchObject({ accounts: 1, asOfDay: TODAY });
    const silent = await db.get<{ score: number; band: string }>(sql`SELECT score_hundredths AS score, band FROM account_scores WHERE account_id = ${ids.silent ?? -1}`);
    expect(silent).toEqual({ score: 5000, band: "medium" }); // 5 invitations × 10 points
    const history = await db.get<{ startDay: number; scores: Buffer }>(sql`SELECT start_day AS "startDay", scores FROM score_history WHERE account_id = ${ids.silent ?? -1}`);
    expect(history && historyThroughDay(history.scores, history.startDay, TODAY, silent?.score ?? Number.NaN).at(-1)).toBe(5000);
    expect(await scoreOf(ids.steady)).toBe(before);
  });

  it("does nothing for an empty list", async () => {
    expect(await refreshScoresOf(db, [])).toBeNull();
  });
});
