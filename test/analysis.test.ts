import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { dayFromIsoDate, isoDateFromDay, MS_PER_DAY } from "@/lib/days";
import { encodeHistory } from "@/lib/scoring/history";
import { sharedValidation } from "@/lib/analysis/server";
import { createTestDb } from "./db";

/**
 * The Insights analyses as the routes ask for them (lib/analysis/server): shared per input,
 * kept while only events arrive, and never served after the outcomes they read changed.
 */
let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());

const TODAY = dayFromIsoDate("2026-03-31");
const params = { from: isoDateFromDay(TODAY - 60), to: isoDateFromDay(TODAY), lead: 30 as const };
let accountId = 0;
let typeId = 0;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  typeId = (await db.value<number>(sql`INSERT INTO event_types (key, label, weight_hundredths, active) VALUES ('report', 'Report', 1000, 1) RETURNING id`)) ?? 0;
  accountId = (await db.value<number>(sql`INSERT INTO accounts (external_id, name, stage, signup_date) VALUES ('a', 'A', 'customer', '2025-01-01') RETURNING id`)) ?? 0;
  await db.run(
    sql`INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, source, created_at, updated_at) VALUES (${accountId}, ${isoDateFromDay(TODAY - 10)}, 'renewed', 'api', 0, 0)`,
  );
  // Scored as of today, silent all year (what the recompute stores for an account without events).
  await db.run(
    sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version,
          first_day, activity, previous_activity)
        VALUES (${accountId}, ${TODAY}, 0, 0, 'churn_risk', 'churn_risk', 0, (SELECT config_version FROM scoring_settings WHERE id = 1),
          ${dayFromIsoDate("2025-01-01")}, 'silent', 'silent')`,
  );
  await db.run(
    sql`INSERT INTO score_history (account_id, start_day, scores, config_version)
        VALUES (${accountId}, ${TODAY - 364}, ${encodeHistory(new Array<number>(364).fill(0))}, (SELECT config_version FROM scoring_settings WHERE id = 1))`,
  );
});

async function addEvent(n: number): Promise<void> {
  await db.run(
    sql`INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at)
        VALUES (${accountId}, ${typeId}, ${TODAY * MS_PER_DAY + n}, ${TODAY}, 1, ${`e-${n}`}, ${TODAY * MS_PER_DAY + n})`,
  );
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
    await addEvent(1);
    const after = await sharedValidation(db, params);
    expect(after.value).toBe(before.value);
    expect(after.current).toBe(false);
  });

  it("compute again, and wait for it, once the renewal outcomes changed", async () => {
    const before = await sharedValidation(db, params);
    await db.run(
      sql`INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, source, created_at, updated_at) VALUES (${accountId}, ${isoDateFromDay(TODAY - 5)}, 'churned', 'api', 1, 1)`,
    );
    const after = await sharedValidation(db, params);
    expect(after.value).not.toBe(before.value);
    expect(after.value?.totals.outcomes).toBe(2);
    expect(after.current).toBe(true);
    // A correction of an outcome (same renewal, another verdict) counts as a change too.
    await db.run(sql`UPDATE renewal_outcomes SET outcome = 'renewed', updated_at = 2 WHERE renewal_date = ${isoDateFromDay(TODAY - 5)}`);
    expect((await sharedValidation(db, params)).value).not.toBe(after.value);
  });
});
