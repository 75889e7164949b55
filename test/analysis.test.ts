import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayFromIsoDate, isoDateFromDay, MS_PER_DAY } from "@/lib/days";
import { sharedValidation } from "@/lib/server/analysis";
import { recomputeAllScores } from "@/lib/server/recompute";
import { createTestDatabase } from "./db";

/**
 * The Insights analyses as the routes ask for them (lib/server/analysis): shared per input,
 * kept while only events arrive, and never served after the outcomes they read changed.
 */
const { db, cleanup } = createTestDatabase();
afterAll(cleanup);

const TODAY = dayFromIsoDate("2026-03-31");
const params = { from: isoDateFromDay(TODAY - 60), to: isoDateFromDay(TODAY), lead: 30 as const };
let accountId = 0;
let typeId = 0;

beforeAll(() => {
  const s = db.sqlite;
  typeId = s.prepare("INSERT INTO event_types (key, label, weight_hundredths, active) VALUES ('report', 'Report', 1000, 1) RETURNING id").pluck().get() as number;
  accountId = s.prepare("INSERT INTO accounts (external_id, name, stage, signup_date) VALUES ('a', 'A', 'customer', '2025-01-01') RETURNING id").pluck().get() as number;
  s.prepare("INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, source, created_at, updated_at) VALUES (?, ?, 'renewed', 'api', 0, 0)").run(accountId, isoDateFromDay(TODAY - 10));
  recomputeAllScores(db, { asOfDay: TODAY });
});

function addEvent(n: number): void {
  db.sqlite
    .prepare("INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at) VALUES (?, ?, ?, ?, 1, ?, ?)")
    .run(accountId, typeId, TODAY * MS_PER_DAY + n, TODAY, `e-${n}`, TODAY * MS_PER_DAY + n);
}

describe("shared Insights analyses", () => {
  it("give everyone asking at once the same result, and keep it while nothing changed", async () => {
    const [a, b] = await Promise.all([sharedValidation(db, params), sharedValidation(db, params)]);
    expect(a.value).toBe(b.value);
    expect(a.value?.totals.outcomes).toBe(1);
    expect((await sharedValidation(db, params)).value).toBe(a.value);
  });

  it("serve the result at once while events arrive (marked not current), instead of computing again", async () => {
    const before = await sharedValidation(db, params);
    addEvent(1);
    const after = await sharedValidation(db, params);
    expect(after.value).toBe(before.value);
    expect(after.current).toBe(false);
  });

  it("compute again, and wait for it, once the renewal outcomes changed", async () => {
    const before = await sharedValidation(db, params);
    db.sqlite.prepare("INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, source, created_at, updated_at) VALUES (?, ?, 'churned', 'api', 1, 1)").run(accountId, isoDateFromDay(TODAY - 5));
    const after = await sharedValidation(db, params);
    expect(after.value).not.toBe(before.value);
    expect(after.value?.totals.outcomes).toBe(2);
    expect(after.current).toBe(true);
    // A correction of an outcome (same renewal, another verdict) counts as a change too.
    db.sqlite.prepare("UPDATE renewal_outcomes SET outcome = 'renewed', updated_at = 2 WHERE renewal_date = ?").run(isoDateFromDay(TODAY - 5));
    expect((await sharedValidation(db, params)).value).not.toBe(after.value);
  });
});
