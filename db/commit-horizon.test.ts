import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/db";
import type { Db } from "./client";
import { committedHorizon, holdWriteHorizon } from "./commit-horizon";

let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

/** Resolves once another session waits for an advisory lock (PostgreSQL's own lock table says so). */
async function someoneWaitsForTheHorizon(): Promise<void> {
  for (;;) {
    const waiting = await db.value<number>(sql`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
    if (Number(waiting) > 0) return;
  }
}

describe("committedHorizon", () => {
  it("is 0 on an empty table and the largest id once rows are committed", async () => {
    expect(await committedHorizon(db, "aggregate_changes")).toBe(0);
    await db.run(sql`INSERT INTO aggregate_changes (account_id) VALUES (1), (2)`);
    const max = await db.value<number>(sql`SELECT max(seq) FROM aggregate_changes`);
    expect(await committedHorizon(db, "aggregate_changes")).toBe(max);
  });

  it.runIf(process.env.CES_TEST_DATABASE === "postgres")(
    "on PostgreSQL, never passes an id whose transaction is still open, even when a later id committed first",
    async () => {
      let releaseEarly: () => void = () => undefined;
      const early = new Promise<void>((resolve) => (releaseEarly = resolve));
      // Transaction A takes the lower id and stays open.
      const a = db.transaction(async (tx) => {
        await holdWriteHorizon(tx);
        await tx.run(sql`INSERT INTO aggregate_changes (account_id) VALUES (10)`);
        await early;
      });
      // Transaction B takes a higher id and commits first.
      await db.transaction(async (tx) => {
        await holdWriteHorizon(tx);
        await tx.run(sql`INSERT INTO aggregate_changes (account_id) VALUES (11)`);
      });
      const horizon = committedHorizon(db, "aggregate_changes");
      await someoneWaitsForTheHorizon();
      releaseEarly();
      await a;
      const mark = await horizon;
      // Every id up to the horizon is visible: A's lower id was not skipped.
      const visible = await db.value<number>(sql`SELECT count(*) FROM aggregate_changes WHERE seq <= ${mark}`);
      const all = await db.value<number>(sql`SELECT count(*) FROM aggregate_changes`);
      expect(Number(visible)).toBe(Number(all));
      expect(mark).toBe(await db.value<number>(sql`SELECT max(seq) FROM aggregate_changes`));
    },
  );
});
