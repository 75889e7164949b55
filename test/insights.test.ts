import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyDatabaseOn } from "@/db";
import type { Db } from "@/db/client";
import { onSqlite } from "@/db/sqlite-client";
import { dayFromIsoDate, isoDateFromDay, MS_PER_DAY } from "@/lib/days";
import { bandFor } from "@/lib/scoring/bands";
import { encodeHistory } from "@/lib/scoring/history";
import { getSuggestion, getValidation } from "@/lib/insights/server/insights";
import { recomputeAllScores } from "@/lib/scoring/server/recompute";
import { createTestDb, testDialect } from "./db";

let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());

const TODAY = dayFromIsoDate("2026-03-31");
const HISTORY_START = TODAY - 364;
let past = 0;
let early = 0;

/**
 * The scores the recompute stores for this book, written by hand (checked against the
 * recompute on SQLite at the end): a 364-day closed history, then the current score.
 */
async function storeScores(accountId: number, current: number, closedDay: (day: number) => number) {
  const closed = Array.from({ length: 364 }, (_, i) => closedDay(HISTORY_START + i));
  await db.run(
    sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version,
          first_day, activity, previous_activity)
        VALUES (${accountId}, ${TODAY}, ${current}, 0, ${bandFor(current / 100)}, 'churn_risk', 0, (SELECT config_version FROM scoring_settings WHERE id = 1),
          ${dayFromIsoDate("2025-01-01")}, 'active', 'silent')`,
  );
  await db.run(
    sql`INSERT INTO score_history (account_id, start_day, scores, config_version)
        VALUES (${accountId}, ${HISTORY_START}, ${encodeHistory(closed)}, (SELECT config_version FROM scoring_settings WHERE id = 1))`,
  );
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  const type = (await db.value<number>(sql`INSERT INTO event_types (key, label, weight_hundredths, active) VALUES ('report', 'Report', 1000, 1) RETURNING id`)) ?? 0;
  const account = async (externalId: string, name: string) =>
    (await db.value<number>(sql`INSERT INTO accounts (external_id, name, stage, signup_date) VALUES (${externalId}, ${name}, 'customer', '2025-01-01') RETURNING id`)) ?? 0;
  past = await account("past", "Renewed last quarter");
  early = await account("early", "Renewed early");
  const add = async (accountId: number, day: number, count: number) => {
    await db.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (${day}, ${accountId}, ${type}, ${count})`);
    for (let i = 0; i < count; i++) {
      await db.run(
        sql`INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at)
            VALUES (${accountId}, ${type}, ${day * MS_PER_DAY + i}, ${day}, 1, ${`m-${accountId}-${day}-${i}`}, ${day * MS_PER_DAY + i})`,
      );
    }
  };
  // "past": 3 reports (10 points each) 100 days ago, so its score 90 days ago was 30 (low band):
  // 30 points on each day whose 30-day window holds day TODAY − 100.
  await add(past, TODAY - 100, 3);
  await storeScores(past, 0, (day) => (day >= TODAY - 100 && day <= TODAY - 71 ? 3000 : 0));
  // "early": 9 reports today, so its score today, 90 days before its renewal, is 90 (high band).
  await add(early, TODAY, 9);
  await storeScores(early, 9000, () => 0);
  await db.run(
    sql`INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, source, created_at, updated_at)
        VALUES (${past}, ${isoDateFromDay(TODAY)}, 'renewed', 'api', 0, 0), (${early}, ${isoDateFromDay(TODAY + 90)}, 'renewed', 'api', 0, 0)`,
  );
});

const params = { from: isoDateFromDay(TODAY - 30), to: isoDateFromDay(TODAY + 90), lead: 90 as const };

describe("getValidation", () => {
  it("reads each renewal's score `lead` days before it: from the history for a closed day, the current score for the scores' own day", async () => {
    const data = await getValidation(db, params);
    expect(data?.totals).toMatchObject({ outcomes: 2, scored: 2, afterHistory: 0, beforeHistory: 0, noHistory: 0 });
    const n = Object.fromEntries((data?.bands ?? []).map((b) => [b.band, b.n]));
    expect(n).toMatchObject({ low: 1, high: 1 });
  });

  it("says which renewals it cannot score: before the history, or without one", async () => {
    const none = (await db.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES ('none', 'No history') RETURNING id`)) ?? 0;
    await db.run(
      sql`INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, source, created_at, updated_at)
          VALUES (${past}, ${isoDateFromDay(TODAY - 300)}, 'churned', 'api', 0, 0), (${none}, ${isoDateFromDay(TODAY - 10)}, 'churned', 'api', 0, 0)`,
    );
    try {
      const data = await getValidation(db, { ...params, from: isoDateFromDay(TODAY - 364) });
      expect(data?.totals).toMatchObject({ outcomes: 4, scored: 2, beforeHistory: 1, noHistory: 1 });
    } finally {
      await db.run(sql`DELETE FROM renewal_outcomes WHERE outcome = 'churned'`);
      await db.run(sql`DELETE FROM accounts WHERE id = ${none}`);
    }
  });
});

describe("getSuggestion", () => {
  it("fits the scored renewals of the period from their counts in the window before each", async () => {
    const data = await getSuggestion(db, params);
    expect(data).toMatchObject({ from: params.from, to: params.to, windowDays: 30, renewals: 2 });
  });
});

describe("the stored scores", () => {
  it.runIf(testDialect === "sqlite")("are the ones the recompute stores (the recompute runs on SQLite only so far)", async () => {
    const read = () => db.all<{ accountId: number; score: number; scores: Buffer }>(
      sql`SELECT s.account_id AS "accountId", s.score_hundredths AS score, h.scores AS scores
            FROM account_scores s JOIN score_history h ON h.account_id = s.account_id ORDER BY s.account_id`,
    );
    const byHand = await read();
    await onSqlite(db, (sqlite) => recomputeAllScores(legacyDatabaseOn(sqlite), { asOfDay: TODAY }));
    expect(await read()).toEqual(byHand);
  });
});
