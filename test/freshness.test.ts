import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { checkScoresCurrent } from "@/lib/scoring/server/freshness";
import { createTestDb } from "./db";

/** When the stored scores are current: every account scored, as of today, with the configuration in force, first days known. */
let db: Db;
let cleanup: () => Promise<void>;
let version = 0;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  version = (await db.value<number>(sql`SELECT config_version FROM scoring_settings WHERE id = 1`)) ?? 0;
});
afterAll(async () => cleanup());

const TODAY = 20_500;

async function addScoredAccount(name: string) {
  const id = await db.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES (${name}, ${name}) RETURNING id`);
  await db.run(
    sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version, first_day, activity)
        VALUES (${id}, ${TODAY}, 0, 0, 'churn_risk', 'churn_risk', 0, ${version}, ${TODAY - 100}, 'silent')`,
  );
  return id;
}

describe("checkScoresCurrent", () => {
  it("holds for an installation without accounts", async () => {
    expect(await checkScoresCurrent(db, { today: TODAY })).toBe(true);
  });

  it("holds when every account is scored as of today with the version in force", async () => {
    await addScoredAccount("a");
    await addScoredAccount("b");
    expect(await checkScoresCurrent(db, { today: TODAY })).toBe(true);
    expect(await checkScoresCurrent(db, { today: TODAY + 1 })).toBe(false);
  });

  it("fails for an account without a score, a score of another day or version, or an unknown first day", async () => {
    const id = await db.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES ('new', 'New') RETURNING id`);
    expect(await checkScoresCurrent(db, { today: TODAY })).toBe(false);
    await db.run(sql`DELETE FROM accounts WHERE id = ${id}`);
    expect(await checkScoresCurrent(db, { today: TODAY })).toBe(true);

    const cases = [
      sql`UPDATE account_scores SET as_of_day = ${TODAY - 1} WHERE account_id = (SELECT min(account_id) FROM account_scores)`,
      sql`UPDATE account_scores SET config_version = ${version + 1} WHERE account_id = (SELECT min(account_id) FROM account_scores)`,
      sql`UPDATE account_scores SET first_day = NULL WHERE account_id = (SELECT min(account_id) FROM account_scores)`,
    ];
    for (const change of cases) {
      await db.transaction(async (tx) => {
        await tx.run(change);
        expect(await checkScoresCurrent(tx, { today: TODAY })).toBe(false);
        await tx.run(sql`UPDATE account_scores SET as_of_day = ${TODAY}, config_version = ${version}, first_day = ${TODAY - 100}`);
        expect(await checkScoresCurrent(tx, { today: TODAY })).toBe(true);
      });
    }
  });
});
