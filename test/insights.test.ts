import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayFromIsoDate, isoDateFromDay, MS_PER_DAY } from "@/lib/days";
import { getValidation } from "@/lib/server/insights";
import { recomputeAllScores } from "@/lib/server/recompute";
import { createTestDatabase } from "./db";

const { db, cleanup } = createTestDatabase();
afterAll(cleanup);

const TODAY = dayFromIsoDate("2026-03-31");

beforeAll(() => {
  const s = db.sqlite;
  const type = s.prepare("INSERT INTO event_types (key, label, weight_hundredths, active) VALUES ('report', 'Report', 1000, 1) RETURNING id").pluck().get() as number;
  const account = s.prepare("INSERT INTO accounts (external_id, name, stage, signup_date) VALUES (?, ?, 'customer', '2025-01-01') RETURNING id").pluck();
  const past = account.get("past", "Renewed last quarter") as number;
  const early = account.get("early", "Renewed early") as number;
  const rollup = s.prepare("INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, ?)");
  const event = s.prepare("INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at) VALUES (?, ?, ?, ?, 1, ?, ?)");
  const add = (accountId: number, day: number, count: number) => {
    rollup.run(day, accountId, type, count);
    for (let i = 0; i < count; i++) event.run(accountId, type, day * MS_PER_DAY + i, day, `m-${accountId}-${day}-${i}`, day * MS_PER_DAY + i);
  };
  // "past": 3 reports (10 points each) 100 days ago, so its score 90 days ago was 30 (low band).
  add(past, TODAY - 100, 3);
  // "early": 9 reports today, so its score today, 90 days before its renewal, is 90 (high band).
  add(early, TODAY, 9);
  const outcome = s.prepare("INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, source, created_at, updated_at) VALUES (?, ?, 'renewed', 'api', 0, 0)");
  outcome.run(past, isoDateFromDay(TODAY));
  outcome.run(early, isoDateFromDay(TODAY + 90));
  recomputeAllScores(db, { asOfDay: TODAY });
});

describe("getValidation", () => {
  it("reads each renewal's score `lead` days before it: from the history for a closed day, the current score for the scores' own day", () => {
    const data = getValidation(db, { from: isoDateFromDay(TODAY - 30), to: isoDateFromDay(TODAY + 90), lead: 90 });
    expect(data?.totals).toMatchObject({ outcomes: 2, scored: 2, afterHistory: 0, beforeHistory: 0, noHistory: 0 });
    const n = Object.fromEntries((data?.bands ?? []).map((b) => [b.band, b.n]));
    expect(n).toMatchObject({ low: 1, high: 1 });
  });
});
