import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayFromIsoDate, isoDateFromDay, MS_PER_DAY } from "@/lib/days";
import { getAccountDetail } from "@/lib/server/account-detail";
import { recomputeAllScores } from "@/lib/server/recompute";
import { createTestDatabase } from "./db";

const { db, cleanup } = createTestDatabase();
afterAll(cleanup);

const TODAY = dayFromIsoDate("2026-03-31");
let accountId = 0;
let quietId = 0;
let newId = 0;
const types: Record<string, number> = {};

beforeAll(() => {
  const s = db.sqlite;
  const type = s.prepare("INSERT INTO event_types (key, label, weight_hundredths, active) VALUES (?, ?, ?, ?) RETURNING id").pluck();
  types.session = type.get("session_started", "Session started", 150, 1) as number; // 1.5
  types.invite = type.get("colleague_invited", "Colleague invited", 1000, 1) as number; // 10
  types.uninstall = type.get("mobile_app_uninstalled", "Mobile app uninstalled", -1500, 1) as number; // −15
  types.retired = type.get("old_signal", "Retired signal", 5000, 0) as number; // inactive: weighs 0

  const account = s
    .prepare("INSERT INTO accounts (external_id, name, plan, stage, renewal_date, arr, account_manager, signup_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
    .pluck();
  accountId = account.get("acme", "Acme Corp", "Growth", "customer", "2026-05-01", 24000, "Ann Ames", "2023-02-01") as number;
  quietId = account.get("quiet", "Quiet Ltd", "Starter", "customer", null, null, null, "2024-01-01") as number;
  newId = account.get("newco", "Newco", "Starter", "trial", null, null, "Ann Ames", isoDateFromDay(TODAY - 10)) as number;

  const rollup = s.prepare("INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, ?)");
  const event = s.prepare("INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at) VALUES (?, ?, ?, ?, 1, ?, ?)");
  const add = (day: number, type: number, count: number) => {
    rollup.run(day, accountId, type, count);
    for (let i = 0; i < count; i++) {
      const at = day * MS_PER_DAY + 3_600_000 * (8 + i);
      event.run(accountId, type, at, day, `m-${day}-${type}-${i}`, at + 1000);
    }
  };
  // Current window (days TODAY−29 … TODAY): 12 sessions, 2 invites, 1 uninstall, 3 retired.
  // Score = 1.5 × 12 + 10 × 2 − 15 × 1 + 0 × 3 = 18 + 20 − 15 = 23 points.
  add(TODAY - 2, types.session, 7);
  add(TODAY - 20, types.session, 5);
  add(TODAY - 10, types.invite, 2);
  add(TODAY, types.uninstall, 1);
  add(TODAY - 5, types.retired, 3);
  // Previous window (TODAY−59 … TODAY−30): 30 sessions, 1 invite = 45 + 10 = 55 points.
  add(TODAY - 45, types.session, 30);
  add(TODAY - 30, types.invite, 1);
  // Long ago, for the monthly counts only: 4 sessions on 2025-06-15.
  add(dayFromIsoDate("2025-06-15"), types.session, 4);

  s.prepare("INSERT INTO change_markers (date, title) VALUES (?, ?), (?, ?)").run("2026-01-10", "Docs overhaul", "2020-01-01", "Ancient");
  recomputeAllScores(db, { asOfDay: TODAY });
});

describe("getAccountDetail", () => {
  it("answers null for an account that does not exist", () => {
    expect(getAccountDetail(db, { accountId: 999_999 })).toBeNull();
  });

  it("shows the stored score, its band and the score 30 days ago", () => {
    const detail = getAccountDetail(db, { accountId });
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

  it("explains the score: weight × count per type, largest first, adding up to the score", () => {
    const explanation = getAccountDetail(db, { accountId })?.explanation;
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

  it("splits the change since 30 days ago by event type, adding up to the change", () => {
    const explanation = getAccountDetail(db, { accountId })?.explanation;
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

  it("gives a year of daily scores ending on the current score, and the change markers inside it", () => {
    const detail = getAccountDetail(db, { accountId });
    expect(detail?.history?.values).toHaveLength(365);
    expect(detail?.history?.startDate).toBe(isoDateFromDay(TODAY - 364));
    expect(detail?.history?.values.at(-1)).toBe(2300);
    expect(detail?.history?.values.at(-31)).toBe(5500);
    expect(detail?.markers.map((m) => m.title)).toEqual(["Docs overhaul"]);
  });

  it("starts a new account's history on its signup day, with no previous score (issue 13)", () => {
    const detail = getAccountDetail(db, { accountId: newId });
    expect(detail?.history?.startDate).toBe(isoDateFromDay(TODAY - 10));
    expect(detail?.history?.values).toHaveLength(11);
    expect(detail?.score).toMatchObject({ previousHundredths: null, previousBand: null, previousActivity: null, activity: "not_active_yet", declining: false });
    expect(detail?.score?.firstDate).toBe(isoDateFromDay(TODAY - 10));
  });

  it("counts events per type per month over the year", () => {
    const months = getAccountDetail(db, { accountId })?.eventMonths;
    expect(months?.months[0]).toBe("2025-04");
    expect(months?.months.at(-1)).toBe("2026-03");
    const sessions = months?.types.find((t) => t.key === "session_started");
    expect(sessions?.total).toBe(4 + 30 + 12);
    expect(sessions?.counts[months?.months.indexOf("2025-06") ?? -1]).toBe(4);
    expect(sessions?.counts[months?.months.indexOf("2026-02") ?? -1]).toBe(30); // 30 sessions on 14 Feb
    expect(months?.types[0]?.key).toBe("session_started"); // most events first
  });

  it("lists the latest raw events, newest first", () => {
    const events = getAccountDetail(db, { accountId, latestEvents: 3 })?.latestEvents;
    expect(events?.map((e) => e.typeKey)).toEqual(["mobile_app_uninstalled", "session_started", "session_started"]);
    expect(events?.[0]).toMatchObject({ typeLabel: "Mobile app uninstalled", weightHundredths: -1500, quantity: 1 });
  });

  it("lists the latest events across the whole history, newest first, however far back they go", () => {
    // 53 events over ten months (one event a day up to 30 on one day); tomorrow's (a clock a little ahead) comes first.
    const tomorrow = (TODAY + 1) * MS_PER_DAY + 60_000;
    db.sqlite
      .prepare("INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at) VALUES (?, ?, ?, ?, 1, 'ahead', ?)")
      .run(accountId, types.session, tomorrow, TODAY + 1, tomorrow);
    try {
      const all = db.sqlite
        .prepare("SELECT id FROM events WHERE account_id = ? ORDER BY occurred_at DESC, id DESC")
        .pluck()
        .all(accountId) as number[];
      expect(all).toHaveLength(54);
      for (const limit of [1, 3, 10, 50, 54, 100]) {
        expect(getAccountDetail(db, { accountId, latestEvents: limit })?.latestEvents.map((e) => e.id), `limit ${limit}`).toEqual(all.slice(0, limit));
      }
    } finally {
      db.sqlite.prepare("DELETE FROM events WHERE message_id = 'ahead'").run();
    }
  });

  it("explains an account without events as zero", () => {
    const detail = getAccountDetail(db, { accountId: quietId });
    expect(detail?.explanation).toMatchObject({ contributions: [], totalHundredths: 0, movement: [], matchesStoredScore: true });
    expect(detail?.latestEvents).toEqual([]);
  });
});
