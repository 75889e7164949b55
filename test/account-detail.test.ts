import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyDatabaseOn } from "@/db";
import type { Db } from "@/db/client";
import { onSqlite } from "@/db/sqlite-client";
import { dayFromIsoDate, isoDateFromDay, MS_PER_DAY } from "@/lib/days";
import { bandFor } from "@/lib/scoring/bands";
import { encodeHistory } from "@/lib/scoring/history";
import { getAccountDetail, getAccountName, oldestDayHolding } from "@/lib/accounts/server/account-detail";
import { recomputeAllScores } from "@/lib/scoring/server/recompute";
import { createTestDb, testDialect } from "./db";

let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());

const TODAY = dayFromIsoDate("2026-03-31");
const HISTORY_START = TODAY - 364;
let accountId = 0;
let quietId = 0;
let newId = 0;
const types: Record<string, number> = {};

interface StoredScore {
  score: number;
  previous: number;
  declining: boolean;
  firstDay: number;
  activity: string;
  previousActivity: string | null;
}

/**
 * The scores the recompute stores for this book, written by hand (the recompute is checked
 * against them on SQLite at the end): a closed history of 364 days that is 55 points 30 days
 * ago, then the current score.
 */
async function storeScore(id: number, s: StoredScore) {
  const closed = Array.from({ length: 364 }, (_, i) => (HISTORY_START + i === TODAY - 30 ? s.previous * 100 : 0));
  await db.run(
    sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version,
          first_day, activity, previous_activity)
        VALUES (${id}, ${TODAY}, ${s.score * 100}, ${s.previous * 100}, ${bandFor(s.score)}, ${bandFor(s.previous)}, ${s.declining ? 1 : 0},
          (SELECT config_version FROM scoring_settings WHERE id = 1), ${s.firstDay}, ${s.activity}, ${s.previousActivity})`,
  );
  await db.run(sql`INSERT INTO score_history (account_id, start_day, scores, config_version)
    VALUES (${id}, ${HISTORY_START}, ${encodeHistory(closed)}, (SELECT config_version FROM scoring_settings WHERE id = 1))`);
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  const type = async (key: string, label: string, weight: number, active: number) =>
    (await db.value<number>(sql`INSERT INTO event_types (key, label, weight_hundredths, active) VALUES (${key}, ${label}, ${weight}, ${active}) RETURNING id`)) ?? 0;
  types.session = await type("session_started", "Session started", 150, 1); // 1.5
  types.invite = await type("colleague_invited", "Colleague invited", 1000, 1); // 10
  types.uninstall = await type("mobile_app_uninstalled", "Mobile app uninstalled", -1500, 1); // −15
  types.retired = await type("old_signal", "Retired signal", 5000, 0); // inactive: weighs 0

  const account = async (...v: [string, string, string, string, string | null, number | null, string | null, string]) =>
    (await db.value<number>(
      sql`INSERT INTO accounts (external_id, name, plan, stage, renewal_date, arr, account_manager, signup_date)
          VALUES (${v[0]}, ${v[1]}, ${v[2]}, ${v[3]}, ${v[4]}, ${v[5]}, ${v[6]}, ${v[7]}) RETURNING id`,
    )) ?? 0;
  accountId = await account("acme", "Acme Corp", "Growth", "customer", "2026-05-01", 24000, "Ann Ames", "2023-02-01");
  quietId = await account("quiet", "Quiet Ltd", "Starter", "customer", null, null, null, "2024-01-01");
  newId = await account("newco", "Newco", "Starter", "trial", null, null, "Ann Ames", isoDateFromDay(TODAY - 10));

  const add = async (day: number, type: number, count: number) => {
    await db.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (${day}, ${accountId}, ${type}, ${count})`);
    for (let i = 0; i < count; i++) {
      const at = day * MS_PER_DAY + 3_600_000 * (8 + i);
      await db.run(
        sql`INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at)
            VALUES (${accountId}, ${type}, ${at}, ${day}, 1, ${`m-${day}-${type}-${i}`}, ${at + 1000})`,
      );
    }
  };
  // Current window (days TODAY−29 … TODAY): 12 sessions, 2 invites, 1 uninstall, 3 retired.
  // Score = 1.5 × 12 + 10 × 2 − 15 × 1 + 0 × 3 = 18 + 20 − 15 = 23 points.
  await add(TODAY - 2, types.session, 7);
  await add(TODAY - 20, types.session, 5);
  await add(TODAY - 10, types.invite, 2);
  await add(TODAY, types.uninstall, 1);
  await add(TODAY - 5, types.retired, 3);
  // Previous window (TODAY−59 … TODAY−30): 30 sessions, 1 invite = 45 + 10 = 55 points.
  await add(TODAY - 45, types.session, 30);
  await add(TODAY - 30, types.invite, 1);
  // Long ago, for the monthly counts only: 4 sessions on 2025-06-15.
  await add(dayFromIsoDate("2025-06-15"), types.session, 4);

  await db.run(sql`INSERT INTO change_markers (date, title) VALUES ('2026-01-10', 'Docs overhaul'), ('2020-01-01', 'Ancient')`);
  await storeScore(accountId, { score: 23, previous: 55, declining: true, firstDay: dayFromIsoDate("2023-02-01"), activity: "active", previousActivity: "active" });
  await storeScore(quietId, { score: 0, previous: 0, declining: false, firstDay: dayFromIsoDate("2024-01-01"), activity: "silent", previousActivity: "silent" });
  await storeScore(newId, { score: 0, previous: 0, declining: false, firstDay: TODAY - 10, activity: "not_active_yet", previousActivity: null });
});

describe("getAccountDetail", () => {
  it("answers null for an account that does not exist", async () => {
    expect(await getAccountDetail(db, { accountId: 999_999 })).toBeNull();
    expect(await getAccountName(db, { accountId: 999_999 })).toBeNull();
    expect(await getAccountName(db, { accountId })).toBe("Acme Corp");
  });

  it("shows the stored score, its band and the score 30 days ago", async () => {
    const detail = await getAccountDetail(db, { accountId });
    expect(detail?.account).toMatchObject({ name: "Acme Corp", plan: "Growth", renewalDate: "2026-05-01", arr: 24000, accountManager: "Ann Ames" });
    expect(detail?.score).toMatchObject({
      asOfDate: "2026-03-31",
      scoreHundredths: 2300,
      previousHundredths: 5500,
      band: "low",
      previousBand: "medium",
      declining: true, // −32 points, −58 %
    });
  });

  it("explains the score: weight × count per type, largest first, adding up to the score", async () => {
    const explanation = (await getAccountDetail(db, { accountId }))?.explanation;
    expect(explanation?.contributions.map((c) => [c.key, c.count, c.weightHundredths, c.pointsHundredths])).toEqual([
      ["colleague_invited", 2, 1000, 2000],
      ["session_started", 12, 150, 1800],
      ["mobile_app_uninstalled", 1, -1500, -1500],
      ["old_signal", 3, 0, 0],
    ]);
    expect(explanation?.contributions.find((c) => c.key === "old_signal")?.active).toBe(false);
    expect(explanation?.totalHundredths).toBe(2300);
    expect(explanation?.matchesStoredScore).toBe(true);
    expect(explanation?.window).toEqual({ from: "2026-03-02", to: "2026-03-31" });
  });

  it("splits the change since 30 days ago by event type, adding up to the change", async () => {
    const explanation = (await getAccountDetail(db, { accountId }))?.explanation;
    // Sessions 18 − 45 = −27, uninstalls −15 − 0 = −15, invites 20 − 10 = +10, retired 0.
    expect(explanation?.movement.map((m) => [m.key, m.previousCount, m.currentCount, m.deltaHundredths])).toEqual([
      ["session_started", 30, 12, -2700],
      ["mobile_app_uninstalled", 0, 1, -1500],
      ["colleague_invited", 1, 2, 1000],
      ["old_signal", 0, 3, 0],
    ]);
    expect(explanation?.previousTotalHundredths).toBe(5500);
    expect(explanation?.movement.reduce((s, m) => s + m.deltaHundredths, 0)).toBe(2300 - 5500);
  });

  it("gives a year of daily scores ending on the current score, and the change markers inside it", async () => {
    const detail = await getAccountDetail(db, { accountId });
    expect(detail?.history?.values).toHaveLength(365);
    expect(detail?.history?.startDate).toBe(isoDateFromDay(TODAY - 364));
    expect(detail?.history?.values.at(-1)).toBe(2300);
    expect(detail?.history?.values.at(-31)).toBe(5500);
    expect(detail?.markers.map((m) => m.title)).toEqual(["Docs overhaul"]);
  });

  it("starts a new account's history on its signup day, with no previous score (issue 13)", async () => {
    const detail = await getAccountDetail(db, { accountId: newId });
    expect(detail?.history?.startDate).toBe(isoDateFromDay(TODAY - 10));
    expect(detail?.history?.values).toHaveLength(11);
    expect(detail?.score).toMatchObject({ previousHundredths: null, previousBand: null, previousActivity: null, activity: "not_active_yet", declining: false });
    expect(detail?.score?.firstDate).toBe(isoDateFromDay(TODAY - 10));
  });

  it("counts events per type per month over the year", async () => {
    const months = (await getAccountDetail(db, { accountId }))?.eventMonths;
    expect(months?.months[0]).toBe("2025-04");
    expect(months?.months.at(-1)).toBe("2026-03");
    const sessions = months?.types.find((t) => t.key === "session_started");
    expect(sessions?.total).toBe(4 + 30 + 12);
    expect(sessions?.counts[months?.months.indexOf("2025-06") ?? -1]).toBe(4);
    expect(sessions?.counts[months?.months.indexOf("2026-02") ?? -1]).toBe(30); // 30 sessions on 14 Feb
    expect(months?.types[0]?.key).toBe("session_started"); // most events first
  });

  it("lists the latest raw events, newest first", async () => {
    const events = (await getAccountDetail(db, { accountId, latestEvents: 3 }))?.latestEvents;
    expect(events?.map((e) => e.typeKey)).toEqual(["mobile_app_uninstalled", "session_started", "session_started"]);
    expect(events?.[0]).toMatchObject({ typeLabel: "Mobile app uninstalled", weightHundredths: -1500, quantity: 1 });
  });

  it("lists the latest events across the whole history, newest first, however far back they go", async () => {
    // 53 events over ten months (one event a day up to 30 on one day); tomorrow's (a clock a little ahead) comes first.
    const tomorrow = (TODAY + 1) * MS_PER_DAY + 60_000;
    await db.run(
      sql`INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at)
          VALUES (${accountId}, ${types.session}, ${tomorrow}, ${TODAY + 1}, 1, 'ahead', ${tomorrow})`,
    );
    try {
      const all = (await db.all<{ id: number }>(sql`SELECT id FROM events WHERE account_id = ${accountId} ORDER BY occurred_at DESC, id DESC`)).map((r) => r.id);
      expect(all).toHaveLength(54);
      for (const limit of [1, 3, 10, 50, 54, 100]) {
        expect((await getAccountDetail(db, { accountId, latestEvents: limit }))?.latestEvents.map((e) => e.id), `limit ${limit}`).toEqual(all.slice(0, limit));
      }
      // The rollups only hint where to start looking: counts that promise more events than are
      // stored (quantities, events deleted by retention) still give the same latest events.
      const newest = await db.value<number>(sql`SELECT max(day) FROM daily_rollups WHERE account_id = ${accountId}`);
      await db.run(sql`UPDATE daily_rollups SET count = count + 1000 WHERE account_id = ${accountId} AND day = ${newest}`);
      try {
        for (const limit of [3, 50, 100]) {
          expect((await getAccountDetail(db, { accountId, latestEvents: limit }))?.latestEvents.map((e) => e.id), `limit ${limit}, inflated`).toEqual(all.slice(0, limit));
        }
      } finally {
        await db.run(sql`UPDATE daily_rollups SET count = count - 1000 WHERE account_id = ${accountId} AND day = ${newest}`);
      }
    } finally {
      await db.run(sql`DELETE FROM events WHERE message_id = 'ahead'`);
    }
  });

  it("explains an account without events as zero", async () => {
    const detail = await getAccountDetail(db, { accountId: quietId });
    expect(detail?.explanation).toMatchObject({ contributions: [], totalHundredths: 0, movement: [], matchesStoredScore: true });
    expect(detail?.latestEvents).toEqual([]);
  });

  it.runIf(testDialect === "sqlite")("agrees with the scores the recompute stores (the recompute runs on SQLite only so far)", async () => {
    await onSqlite(db, (sqlite) => recomputeAllScores(legacyDatabaseOn(sqlite), { asOfDay: TODAY }));
    const detail = await getAccountDetail(db, { accountId });
    expect(detail?.score).toMatchObject({ scoreHundredths: 2300, previousHundredths: 5500, band: "low", previousBand: "medium", declining: true });
    expect(detail?.explanation?.matchesStoredScore).toBe(true);
    expect(detail?.history?.values.at(-31)).toBe(5500);
    const newcomer = await getAccountDetail(db, { accountId: newId });
    expect(newcomer?.history?.startDate).toBe(isoDateFromDay(TODAY - 10));
    expect(newcomer?.score).toMatchObject({ previousHundredths: null, activity: "not_active_yet", firstDate: isoDateFromDay(TODAY - 10) });
  });
});

describe("oldestDayHolding", () => {
  it("walks back from the newest day until the counts reach the limit", () => {
    const rows = [
      { day: 10, typeId: 1, count: 2 },
      { day: 12, typeId: 1, count: 1 },
      { day: 12, typeId: 2, count: 2 },
      { day: 15, typeId: 1, count: 1 },
    ];
    expect(oldestDayHolding(rows, 1)).toBe(15);
    expect(oldestDayHolding(rows, 4)).toBe(12);
    expect(oldestDayHolding(rows, 5)).toBe(10);
    expect(oldestDayHolding(rows, 7)).toBeUndefined();
    expect(oldestDayHolding([], 1)).toBeUndefined();
  });
});
