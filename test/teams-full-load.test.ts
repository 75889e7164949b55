import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { teamsCacheStats } from "@/lib/teams/server/dataset-cache";
import { getSegments } from "@/lib/teams/server/queries";
import { createTestDb } from "./db";

/**
 * The team views' full load reads the scored accounts a page at a time (1,000 per page, with a
 * turn of the event loop between pages): with 2,345 accounts every account must still be read
 * once, across the page boundaries.
 */
const { db, cleanup } = await createTestDb();
afterAll(cleanup);

const ACCOUNTS = 2_345;
const AS_OF = 20_000;

beforeAll(async () => {
  for (let from = 1; from <= ACCOUNTS; from += 500) {
    const numbers = Array.from({ length: Math.min(500, ACCOUNTS - from + 1) }, (_, i) => from + i);
    await db.run(
      sql`INSERT INTO accounts (external_id, name, plan, stage) VALUES ${sql.join(
        numbers.map((n) => sql`(${`acct-${n}`}, ${`Account ${n}`}, ${n % 3 === 0 ? "Growth" : "Starter"}, 'customer')`),
        sql`, `,
      )}`,
    );
  }
  // Account n scores n hundredths (churn risk up to 100, low above).
  await db.run(
    sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version)
        SELECT id, ${AS_OF}, id, id, CASE WHEN id <= 100 THEN 'churn_risk' ELSE 'low' END, 'low', 0, 1 FROM accounts`,
  );
});

describe("the team views' full load", () => {
  it("reads every scored account once across its pages", async () => {
    const ids = await db.all<{ id: number }>(sql`SELECT id FROM accounts ORDER BY id`);
    expect(ids).toHaveLength(ACCOUNTS);
    const data = await getSegments(db, { dimension: "plan" });
    expect(teamsCacheStats(db).fullLoads).toBe(1);
    expect(data?.totalAccounts).toBe(ACCOUNTS);
    const growth = ids.filter((_, i) => (i + 1) % 3 === 0).map((r) => r.id);
    const starter = ids.filter((_, i) => (i + 1) % 3 !== 0).map((r) => r.id);
    const bySegment = new Map(data?.segments.map((s) => [s.key, s]));
    expect(bySegment.get("Growth")?.accounts).toBe(growth.length);
    expect(bySegment.get("Starter")?.accounts).toBe(starter.length);
    // Each account's score is its id: the means are the means of the ids.
    const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
    expect(bySegment.get("Growth")?.meanHundredths).toBeCloseTo(mean(growth), 9);
    expect(bySegment.get("Starter")?.meanHundredths).toBeCloseTo(mean(starter), 9);
  });
});
