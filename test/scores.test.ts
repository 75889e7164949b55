import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeHistory, historyThroughDay } from "@/lib/scoring/history";
import { recomputeAllScores, refreshAccountScores } from "@/lib/server/recompute";
import { createTestDatabase } from "./db";

const { db, cleanup } = createTestDatabase();
afterAll(cleanup);

const TODAY = 20_000;
let ids: Record<string, number> = {};

beforeAll(() => {
  const s = db.sqlite;
  const type = s.prepare("INSERT INTO event_types (key, label, weight_hundredths, active) VALUES (?, ?, ?, ?) RETURNING id").pluck();
  const session = type.get("session_started", "Session started", 150, 1) as number; // 1.5
  const invite = type.get("colleague_invited", "Colleague invited", 1000, 1) as number; // 10
  const uninstall = type.get("mobile_app_uninstalled", "Mobile app uninstalled", -1500, 1) as number; // −15
  const retired = type.get("old_signal", "Retired signal", 5000, 0) as number; // inactive: weighs 0

  const account = s.prepare("INSERT INTO accounts (external_id, name) VALUES (?, ?) RETURNING id").pluck();
  ids = {
    steady: account.get("a1", "Steady Co") as number,
    faller: account.get("a2", "Faller Inc") as number,
    silent: account.get("a3", "Silent Ltd") as number,
    edge: account.get("a4", "Edge GmbH") as number,
  };
  const rollup = s.prepare("INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, ?)");
  // Steady: 20 sessions + 1 invite now (40 points); 20 sessions + 1 invite 30 days earlier (40).
  rollup.run(TODAY - 3, ids.steady, session, 20);
  rollup.run(TODAY - 10, ids.steady, invite, 1);
  rollup.run(TODAY - 33, ids.steady, session, 20);
  rollup.run(TODAY - 40, ids.steady, invite, 1);
  // Faller: now 4 sessions + 1 uninstall = 6 − 15 = −9; before 40 sessions + 2 invites = 80.
  rollup.run(TODAY, ids.faller, session, 4);
  rollup.run(TODAY - 29, ids.faller, uninstall, 1);
  rollup.run(TODAY - 30, ids.faller, session, 40);
  rollup.run(TODAY - 59, ids.faller, invite, 2);
  rollup.run(TODAY - 5, ids.faller, retired, 100); // inactive type: no points
  // Edge: one invite exactly on each window edge and one just outside each.
  rollup.run(TODAY, ids.edge, invite, 1); // last day of the current window
  rollup.run(TODAY - 29, ids.edge, invite, 1); // first day of the current window
  rollup.run(TODAY + 1, ids.edge, invite, 1); // tomorrow: outside
  rollup.run(TODAY - 60, ids.edge, invite, 1); // the day before the previous window
});

describe("current and previous scores (from the day-first rollups)", () => {
  it("match the hand-worked numbers, window edges included", () => {
    recomputeAllScores(db, { asOfDay: TODAY, historyDays: 90 });
    const pairs = db.sqlite.prepare("SELECT account_id AS accountId, score_hundredths AS current, previous_hundredths AS previous FROM account_scores").all() as {
      accountId: number;
      current: number;
      previous: number;
    }[];
    const byId = new Map(pairs.map((p) => [p.accountId, p]));
    expect(byId.get(ids.steady ?? -1)).toMatchObject({ current: 4000, previous: 4000 });
    expect(byId.get(ids.faller ?? -1)).toMatchObject({ current: -900, previous: 8000 });
    expect(byId.get(ids.silent ?? -1)).toMatchObject({ current: 0, previous: 0 });
    expect(byId.get(ids.edge ?? -1)).toMatchObject({ current: 2000, previous: 0 });
    expect(pairs).toHaveLength(4);
  });

  it("reads a comparison window that lies before the history (compare days > history days)", () => {
    db.sqlite.prepare("UPDATE scoring_settings SET compare_days = 100").run();
    try {
      recomputeAllScores(db, { asOfDay: TODAY, historyDays: 90 });
      // Faller's previous window is TODAY − 129 … TODAY − 100: no events there.
      const previous = db.sqlite.prepare("SELECT previous_hundredths FROM account_scores WHERE account_id = ?").pluck();
      expect(previous.get(ids.faller)).toBe(0);
      db.sqlite.prepare("INSERT INTO daily_rollups (day, account_id, type_id, count) SELECT ?, ?, id, 3 FROM event_types WHERE key = 'colleague_invited'").run(TODAY - 120, ids.faller);
      recomputeAllScores(db, { asOfDay: TODAY, historyDays: 90 });
      expect(previous.get(ids.faller)).toBe(3000);
      db.sqlite.prepare("DELETE FROM daily_rollups WHERE day = ?").run(TODAY - 120);
    } finally {
      db.sqlite.prepare("UPDATE scoring_settings SET compare_days = 30").run();
    }
  });
});

describe("recomputeAllScores", () => {
  it("stores bands, declining flags and a daily history that ends at the current score", () => {
    const summary = recomputeAllScores(db, { asOfDay: TODAY, historyDays: 90 });
    expect(summary.accounts).toBe(4);
    const rows = db.sqlite
      .prepare("SELECT account_id AS id, score_hundredths AS score, previous_hundredths AS previous, band, previous_band AS previousBand, declining, as_of_day AS asOf FROM account_scores")
      .all() as { id: number; score: number; previous: number; band: string; previousBand: string; declining: number; asOf: number }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids.steady ?? -1)).toMatchObject({ band: "medium", previousBand: "medium", declining: 0, asOf: TODAY });
    expect(byId.get(ids.faller ?? -1)).toMatchObject({ band: "churn_risk", previousBand: "high", declining: 1 });
    expect(byId.get(ids.silent ?? -1)).toMatchObject({ score: 0, band: "churn_risk", declining: 0 });
    expect(byId.get(ids.edge ?? -1)).toMatchObject({ score: 2000, band: "low", declining: 0 });

    const history = db.sqlite.prepare("SELECT account_id AS id, start_day AS startDay, scores FROM score_history").all() as {
      id: number;
      startDay: number;
      scores: Buffer;
    }[];
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

  it("replaces the previous results when run again with new weights", () => {
    db.sqlite.prepare("UPDATE event_types SET weight_hundredths = 200 WHERE key = 'session_started'").run();
    recomputeAllScores(db, { asOfDay: TODAY, historyDays: 90 });
    const steady = db.sqlite.prepare("SELECT score_hundredths FROM account_scores WHERE account_id = ?").pluck().get(ids.steady);
    expect(steady).toBe(20 * 200 + 1000); // 2 × 20 + 10 = 50 points
    expect(db.sqlite.prepare("SELECT count(*) FROM account_scores").pluck().get()).toBe(4);
  });
});

describe("refreshAccountScores", () => {
  it("updates only the given accounts, as of the day the stored scores are for", () => {
    // A new invitation for the silent account today, and one for steady that is NOT refreshed.
    const invite = db.sqlite.prepare("SELECT id FROM event_types WHERE key = 'colleague_invited'").pluck().get() as number;
    db.sqlite.prepare("INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, 5)").run(TODAY, ids.silent, invite);
    db.sqlite.prepare("INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, 1)").run(TODAY - 1, ids.steady, invite);
    const before = db.sqlite.prepare("SELECT score_hundredths FROM account_scores WHERE account_id = ?").pluck().get(ids.steady);

    const summary = refreshAccountScores(db, [ids.silent ?? -1]);
    expect(summary).toMatchObject({ accounts: 1, asOfDay: TODAY });
    const silent = db.sqlite
      .prepare("SELECT score_hundredths AS score, band FROM account_scores WHERE account_id = ?")
      .get(ids.silent) as { score: number; band: string };
    expect(silent).toEqual({ score: 5000, band: "medium" }); // 5 invitations × 10 points
    const history = db.sqlite.prepare("SELECT start_day AS startDay, scores FROM score_history WHERE account_id = ?").get(ids.silent) as { startDay: number; scores: Buffer };
    expect(historyThroughDay(history.scores, history.startDay, TODAY, silent.score).at(-1)).toBe(5000);
    expect(db.sqlite.prepare("SELECT score_hundredths FROM account_scores WHERE account_id = ?").pluck().get(ids.steady)).toBe(before);
  });

  it("does nothing for an empty list", () => {
    expect(refreshAccountScores(db, [])).toBeNull();
  });
});
