import { afterAll, describe, expect, it } from "vitest";
import { SCORE_EXTENT_SQL } from "@/lib/scoring/server/score-sync-sqlite";
import { createTestDatabase } from "./db";

/**
 * Every score sync reads the stored scores' day and configuration versions, and a lone
 * ingestion request syncs before it answers: that read must be index seeks, never a scan of
 * every account (issue 19: 22 ms per single event at 50,000 accounts).
 */
const { db, cleanup } = createTestDatabase();
afterAll(cleanup);

function extent() {
  return db.sqlite.prepare<[], { asOf: number | null; minVersion: number | null; maxVersion: number | null }>(SCORE_EXTENT_SQL).get();
}

describe("the score sync's read of the stored scores' day and versions", () => {
  it("seeks indexes instead of scanning account_scores", () => {
    const plan = db.sqlite
      .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${SCORE_EXTENT_SQL}`)
      .all()
      .map((r) => r.detail);
    expect(plan.filter((d) => d.includes("account_scores"))).toHaveLength(3);
    for (const step of plan.filter((d) => d.includes("account_scores"))) expect(step).toMatch(/^SEARCH account_scores USING COVERING INDEX/);
  });

  it("gives the newest day and the lowest and highest version, or nulls with no scores", () => {
    expect(extent()).toEqual({ asOf: null, minVersion: null, maxVersion: null });
    const insertAccount = db.sqlite.prepare<[string, string], { id: number }>("INSERT INTO accounts (external_id, name) VALUES (?, ?) RETURNING id");
    const insertScore = db.sqlite.prepare(
      `INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version)
       VALUES (?, ?, 5000, 5000, 'medium', 'medium', 0, ?)`,
    );
    for (const [i, day, version] of [
      [1, 20_100, 3],
      [2, 20_102, 2],
      [3, 20_101, 4],
    ] as const) {
      const account = insertAccount.get(`acct-${i}`, `Account ${i}`);
      insertScore.run(account?.id, day, version);
    }
    expect(extent()).toEqual({ asOf: 20_102, minVersion: 2, maxVersion: 4 });
  });
});
