import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { orderingFor } from "@/lib/accounts/lists/ordering";
import type { CallListPageParams } from "@/lib/accounts/lists/resolve";
import { countCallLists, getCallListFacets, listCallListPage } from "@/lib/accounts/server/lists";
import { getSegments } from "@/lib/teams/server/queries";
import { createTestDb } from "./db";
import { openSecondServer } from "./second-server";

/**
 * Two app servers on one database (issue 15): A writes, B serves the call lists and the team
 * views from its own caches. B must never answer from a cache the database has moved past.
 * Each handle has its own pool (PostgreSQL) or connection (SQLite): nothing is shared in-process.
 */
const { db: serverA, cleanup } = await createTestDb();
const serverB: Db = openSecondServer(serverA);
afterAll(async () => {
  await serverB.close();
  await cleanup();
});

const TODAY = 20_600;
const ids: Record<string, number> = {};

async function addAccount(key: string, plan: string, score: number, band: string): Promise<void> {
  const id = await serverA.value<number>(sql`INSERT INTO accounts (external_id, name, plan, stage) VALUES (${key}, ${`Account ${key}`}, ${plan}, 'customer') RETURNING id`);
  if (id === undefined) throw new Error("no id");
  ids[key] = id;
  await serverA.run(
    sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version, activity, previous_activity)
        VALUES (${id}, ${TODAY}, ${score}, ${score}, ${band}, ${band}, 0, 1, 'active', 'active')`,
  );
}

/** What a score writer does (the score sync, the recompute): the new score and its log row, in one transaction. */
async function writeScore(db: Db, key: string, score: number, band: string, hold?: { written: (seq: number) => void; commitWhen: Promise<void> }): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.run(sql`UPDATE account_scores SET score_hundredths = ${score}, band = ${band} WHERE account_id = ${ids[key]}`);
    const seq = await tx.value<number>(sql`INSERT INTO aggregate_changes (account_id) VALUES (${ids[key]}) RETURNING seq`);
    if (seq === undefined) throw new Error("no seq");
    hold?.written(seq);
    await hold?.commitWhen;
    return seq;
  });
}

beforeAll(async () => {
  await addAccount("p", "Starter", 1000, "low");
  await addAccount("q", "Starter", 1000, "low");
  await addAccount("r", "Growth", 9000, "high");
});

const highList: CallListPageParams = {
  managerName: null,
  plan: null,
  region: null,
  industry: null,
  stage: null,
  search: "",
  includeSnoozed: false,
  today: TODAY,
  list: "high",
  band: null,
  renewalsOnly: false,
  order: orderingFor("high", null),
  limit: 50,
  offset: 0,
};

const starterMean = async (db: Db) => (await getSegments(db, { dimension: "plan" }))?.segments.find((s) => s.key === "Starter")?.meanHundredths;
const highNames = async (db: Db) => (await listCallListPage(db, highList)).rows.map((r) => r.name);

describe("two servers on one database", () => {
  it("a score change written through A is in B's call list, counts and segment view on B's next read", async () => {
    // B reads first, so each of its caches holds the old answer.
    expect(await highNames(serverB)).toEqual(["Account r"]);
    expect((await listCallListPage(serverB, highList)).total).toBe(1);
    expect((await countCallLists(serverB, highList)).high).toBe(1);
    expect(await starterMean(serverB)).toBe(1000);

    await writeScore(serverA, "p", 8500, "high");

    expect(await highNames(serverB)).toEqual(["Account r", "Account p"]);
    expect((await listCallListPage(serverB, highList)).total).toBe(2);
    expect((await countCallLists(serverB, highList)).high).toBe(2);
    // Starter: 85 and 10 points.
    expect(await starterMean(serverB)).toBe((8500 + 1000) / 2);
  });

  it("a new plan written through A is among B's filter options on B's next read", async () => {
    expect((await getCallListFacets(serverB)).plans).toEqual(["Growth", "Starter"]);
    await serverA.run(sql`UPDATE accounts SET plan = 'Enterprise' WHERE id = ${ids.r}`);
    expect((await getCallListFacets(serverB)).plans).toEqual(["Enterprise", "Starter"]);
  });

  it.runIf(process.env.CES_TEST_DATABASE === "postgres")(
    "a change logged with a lower seq but committed after a higher one still reaches B's team views",
    async () => {
      const before = await starterMean(serverB);
      expect(before).toBe((8500 + 1000) / 2);
      let commitLow: () => void = () => undefined;
      const commitWhen = new Promise<void>((resolve) => (commitLow = resolve));
      let lowWritten: (seq: number) => void = () => undefined;
      const written = new Promise<number>((resolve) => (lowWritten = resolve));
      // p's change takes the lower seq and stays open; q's takes the higher one and commits first.
      const low = writeScore(serverA, "p", 5000, "medium", { written: lowWritten, commitWhen });
      const lowSeq = await written;
      const highSeq = await writeScore(serverA, "q", 3000, "medium");
      expect(lowSeq).toBeLessThan(highSeq);

      // B reads while p's change is still open: q's committed change is in, p's not yet (and
      // B does not wait for it: writers and readers take no lock of each other's).
      expect(await starterMean(serverB)).toBe((8500 + 3000) / 2);
      commitLow();
      await low;
      // p's change, logged below q's but committed after B had read past it, is in B's next read.
      expect(await starterMean(serverB)).toBe((5000 + 3000) / 2);
    },
  );
});
