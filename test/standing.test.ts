import { SqliteDb } from "@/db/sqlite-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoDateFromDay, MS_PER_DAY } from "@/lib/days";
import type { MapResult } from "@/lib/ingestion/segment";
import { ensureScoresCurrentSqlite as ensureScoresCurrent, scoresAreCurrent } from "@/lib/scoring/server/freshness";
import { ingestBatch } from "@/lib/ingestion/server/writer";
import { recomputeAllScores } from "@/lib/scoring/server/recompute";
import { syncScoresSqlite as syncScores } from "@/lib/scoring/server/score-sync";
import { createTestDatabase } from "./db";

/**
 * Issue 13, items 4 and 5, where scores are written: an account's first day, whether it has a
 * previous score, and its activity (active / silent / not active yet), by a full recompute and
 * kept by the incremental sync.
 */
const { db, cleanup } = createTestDatabase();
/** Ingestion is on the data layer: the same connection through it. */
const data = new SqliteDb(db.sqlite, db.file);
afterAll(cleanup);

const TODAY = 20_500;
let ids: Record<string, number> = {};
let session = 0;
let clicked = 0;

interface Stored {
  score: number;
  previous: number;
  band: string;
  declining: number;
  firstDay: number | null;
  activity: string;
  previousActivity: string | null;
}

function stored(id: number | undefined): Stored {
  return db.sqlite
    .prepare(
      `SELECT score_hundredths AS score, previous_hundredths AS previous, band, declining, first_day AS firstDay, activity,
              previous_activity AS previousActivity FROM account_scores WHERE account_id = ?`,
    )
    .get(id) as Stored;
}

function event(externalId: string, day: number, typeKey: string, tag: string): MapResult {
  return {
    ok: true,
    op: { kind: "event", messageId: `${tag}-${externalId}-${day}`, typeKey, typeLabel: typeKey, occurredAt: day * MS_PER_DAY + 3_600_000, day, quantity: 1, groupId: externalId, userId: null, anonymousId: null },
  };
}

beforeAll(async () => {
  const s = db.sqlite;
  const type = s.prepare("INSERT INTO event_types (key, label, weight_hundredths, active) VALUES (?, ?, ?, ?) RETURNING id").pluck();
  session = type.get("session", "Session", 1000, 1) as number; // 10 points
  clicked = type.get("clicked", "Clicked", 0, 1) as number; // counts for nothing
  const account = s.prepare("INSERT INTO accounts (external_id, name, signup_date, created_at) VALUES (?, ?, ?, ?) RETURNING id").pluck();
  // Recorded today (an import): only the signup date and events say when an account began.
  const recordedToday = TODAY * MS_PER_DAY + 1000;
  ids = {
    newActive: account.get("new-active", "New Active", isoDateFromDay(TODAY - 10), recordedToday) as number,
    newQuiet: account.get("new-quiet", "New Quiet", isoDateFromDay(TODAY - 1), recordedToday) as number,
    silent: account.get("silent", "Silent Co", isoDateFromDay(TODAY - 400), recordedToday) as number,
    faller: account.get("faller", "Faller", isoDateFromDay(TODAY - 400), recordedToday) as number,
    zeroOnly: account.get("zero-only", "Only clicks", isoDateFromDay(TODAY - 400), recordedToday) as number,
    month: account.get("month", "A month old", isoDateFromDay(TODAY - 35), recordedToday) as number,
    undated: account.get("undated", "No signup date", null, recordedToday) as number,
    ancient: account.get("ancient", "Long ago", null, recordedToday) as number,
  };
  const rollup = s.prepare("INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, ?)");
  rollup.run(TODAY - 2, ids.newActive, session, 3);
  rollup.run(TODAY - 3, ids.faller, session, 1);
  rollup.run(TODAY - 40, ids.faller, session, 6);
  rollup.run(TODAY - 3, ids.zeroOnly, clicked, 50);
  rollup.run(TODAY - 20, ids.month, session, 5);
  rollup.run(TODAY - 300, ids.undated, session, 1);
  // Older than every day a recompute reads day by day (the year of history and a window).
  rollup.run(TODAY - 600, ids.ancient, clicked, 2);
  recomputeAllScores(db, { asOfDay: TODAY });
});

describe("a full recompute", () => {
  it("gives an account that signed up 10 days ago no previous score: not declining, not from churn risk", async () => {
    expect(stored(ids.newActive)).toMatchObject({ score: 3000, band: "low", firstDay: TODAY - 10, activity: "active", previousActivity: null, declining: 0 });
  });

  it("calls an account in its first window without events not active yet, and an established one silent", async () => {
    expect(stored(ids.newQuiet)).toMatchObject({ score: 0, band: "churn_risk", activity: "not_active_yet", previousActivity: null });
    expect(stored(ids.silent)).toMatchObject({ score: 0, band: "churn_risk", activity: "silent", previousActivity: "silent" });
  });

  it("keeps negative movement of an established account: 60 → 10 is declining", async () => {
    expect(stored(ids.faller)).toMatchObject({ score: 1000, previous: 6000, activity: "active", previousActivity: "active", declining: 1 });
  });

  it("counts only events that carry points as activity", async () => {
    expect(stored(ids.zeroOnly)).toMatchObject({ score: 0, activity: "silent" });
  });

  it("remembers that a 35-day-old account was not active yet on the comparison day", async () => {
    expect(stored(ids.month)).toMatchObject({ score: 5000, firstDay: TODAY - 35, previousActivity: "not_active_yet", declining: 0 });
  });

  it("takes the first event as the first day when the signup date is unknown", async () => {
    expect(stored(ids.undated)).toMatchObject({ firstDay: TODAY - 300, activity: "silent", previousActivity: "silent" });
  });

  it("finds a first event older than the history it scores (of any weight)", async () => {
    expect(stored(ids.ancient)).toMatchObject({ score: 0, firstDay: TODAY - 600, activity: "silent", previousActivity: "silent" });
  });
});

describe("the incremental sync", () => {
  it("makes an account active with its first scored event, and ends where a recompute ends", async () => {
    await ingestBatch(data, [event("new-quiet", TODAY, "session", "first"), event("silent", TODAY - 1, "clicked", "zero")], { receivedAt: TODAY * MS_PER_DAY });
    expect(syncScores(db)?.mode).toBe("incremental");
    expect(stored(ids.newQuiet)).toMatchObject({ score: 1000, band: "low", activity: "active", previousActivity: null });
    expect(stored(ids.silent)).toMatchObject({ activity: "silent" });
    const synced = db.sqlite.prepare("SELECT * FROM account_scores ORDER BY account_id").all();
    recomputeAllScores(db, { asOfDay: TODAY });
    expect(db.sqlite.prepare("SELECT * FROM account_scores ORDER BY account_id").all()).toEqual(synced);
  });

  it("gives a new account a past when an older event arrives (a backfill)", async () => {
    await ingestBatch(data, [event("new-active", TODAY - 45, "session", "backfill")], { receivedAt: TODAY * MS_PER_DAY });
    syncScores(db);
    expect(stored(ids.newActive)).toMatchObject({ firstDay: TODAY - 45, previous: 1000, previousActivity: "active", declining: 0 });
  });

  it("computes an account again when its signup date changes", async () => {
    db.sqlite.prepare("UPDATE accounts SET signup_date = ? WHERE id = ?").run(isoDateFromDay(TODAY - 3), ids.silent);
    expect(stored(ids.silent).firstDay).toBeNull();
    expect(scoresAreCurrent(db, TODAY)).toBe(false);
    expect(syncScores(db)).not.toBeNull();
    // Its zero-weight click 1 day ago is its first event; the signup 3 days ago is earlier.
    expect(stored(ids.silent)).toMatchObject({ firstDay: TODAY - 3, activity: "not_active_yet", previousActivity: null });
    expect(scoresAreCurrent(db, TODAY)).toBe(true);
    expect(ensureScoresCurrent(db, TODAY)).toBeNull();
  });
});
