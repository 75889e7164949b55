import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/db";
import type { Db } from "./client";
import { hasUnseen, markOf, seenBy, unseenBy, type FollowMark } from "./commit-horizon";

let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

const accountsIn = async (condition: ReturnType<typeof unseenBy>) =>
  (await db.all<{ accountId: number }>(sql`SELECT account_id AS "accountId" FROM aggregate_changes WHERE ${condition} ORDER BY account_id`)).map((r) => r.accountId);
const unseen = (mark: FollowMark) => accountsIn(unseenBy(db.dialect, "aggregate_changes", mark));
const seen = (mark: FollowMark) => accountsIn(seenBy(db.dialect, "aggregate_changes", mark));

describe("following a table", () => {
  it("sees nothing new on an empty table, then exactly the rows committed after its mark", async () => {
    const empty = await markOf(db, "aggregate_changes");
    expect(empty.id).toBe(0);
    expect(await hasUnseen(db, "aggregate_changes", empty)).toBe(false);
    await db.run(sql`INSERT INTO aggregate_changes (account_id) VALUES (1), (2)`);
    expect(await hasUnseen(db, "aggregate_changes", empty)).toBe(true);
    expect(await unseen(empty)).toEqual([1, 2]);

    const mark = await markOf(db, "aggregate_changes");
    expect(mark.id).toBe(await db.value<number>(sql`SELECT max(seq) FROM aggregate_changes`));
    expect(await hasUnseen(db, "aggregate_changes", mark)).toBe(false);
    expect(await seen(mark)).toEqual([1, 2]);
    await db.run(sql`INSERT INTO aggregate_changes (account_id) VALUES (3)`);
    expect(await unseen(mark)).toEqual([3]);
    expect(await seen(mark)).toEqual([1, 2]);
  });

  it.runIf(process.env.CES_TEST_DATABASE === "postgres")(
    "on PostgreSQL, a row with a lower id committed after a mark that saw a higher one is new to it, and writers never wait",
    async () => {
      let commitEarly: () => void = () => undefined;
      const commitWhen = new Promise<void>((resolve) => (commitEarly = resolve));
      let inserted: () => void = () => undefined;
      const insertedEarly = new Promise<void>((resolve) => (inserted = resolve));
      // Transaction A takes the lower id and stays open.
      const a = db.transaction(async (tx) => {
        await tx.run(sql`INSERT INTO aggregate_changes (account_id) VALUES (10)`);
        inserted();
        await commitWhen;
      });
      await insertedEarly;
      // Transaction B takes a higher id and commits first, while A is open.
      await db.run(sql`INSERT INTO aggregate_changes (account_id) VALUES (11)`);
      const mark = await markOf(db, "aggregate_changes");
      expect(mark.id).toBe(await db.value<number>(sql`SELECT seq FROM aggregate_changes WHERE account_id = 11`));
      expect(await seen(mark)).toContain(11);
      expect(await seen(mark)).not.toContain(10);

      commitEarly();
      await a;
      // A's row has a lower seq than the mark's, and is still the one row new to it.
      expect(await unseen(mark)).toEqual([10]);
      const later = await markOf(db, "aggregate_changes");
      expect(await unseen(later)).toEqual([]);
      expect(await seen(later)).toEqual(expect.arrayContaining([10, 11]));
    },
  );

  it.runIf(process.env.CES_TEST_DATABASE === "postgres")("on PostgreSQL, a mark without a snapshot (written before commit order) follows by id", async () => {
    const max = (await db.value<number>(sql`SELECT max(seq) FROM aggregate_changes`)) ?? 0;
    await db.run(sql`INSERT INTO aggregate_changes (account_id) VALUES (12)`);
    expect(await unseen({ id: max, snapshot: null })).toEqual([12]);
  });
});
