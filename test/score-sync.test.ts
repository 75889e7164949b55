import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { Random } from "@/lib/demo/prng";
import { recomputeScores, refreshScoresOf } from "@/lib/scoring/server/recompute-db";
import { scoresInSync, syncScores } from "@/lib/scoring/server/score-sync";
import { createTestDb, testDialect } from "./db";
import { storeEvents, storeEventsIn, type StoredEvent } from "./score-events";

let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());

const TODAY = 20_500;
const random = new Random(11);
const types: Record<string, number> = {};
const accountIds: number[] = [];

async function addAccount(tx: Db, n: number): Promise<number> {
  const id = await tx.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES (${`acct-${n}`}, ${`Account ${n}`}) RETURNING id`);
  if (id === undefined) throw new Error("no account id");
  return id;
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  for (const [key, weight, active] of [
    ["a", 150, 1],
    ["b", -1000, 1],
    ["c", 425, 1],
    ["retired", 9900, 0],
  ] as const) {
    types[key] = (await db.value<number>(sql`INSERT INTO event_types (key, label, weight_hundredths, active) VALUES (${key}, ${key}, ${weight}, ${active}) RETURNING id`)) ?? -1;
  }
  await db.run(sql`UPDATE scoring_settings SET window_days = 14, compare_days = 21 WHERE id = 1`);
  // 30 accounts are scored before events arrive; more appear with their first events.
  for (let i = 1; i <= 30; i++) accountIds.push(await db.transaction((tx) => addAccount(tx, i)));
  await recomputeScores(db, { asOfDay: TODAY });
});

/** Random events over the accounts, days from well before the history to after the scores' day. */
function randomEvents(n: number, tag: string): StoredEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    accountId: random.pick(accountIds),
    typeId: types[random.pick(["a", "b", "c", "retired", "a", "c"])] ?? -1,
    day: TODAY - random.int(-2, 420),
    quantity: random.int(1, 3),
    messageId: `${tag}-${i}`,
  }));
}

/** Events and the accounts they name, stored together (as ingestion creates an account with its first event). */
async function ingest(events: StoredEvent[], newAccounts = 0): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < newAccounts; i++) {
      const id = await addAccount(tx, accountIds.length + 1);
      accountIds.push(id);
      events.push({ accountId: id, typeId: types.a ?? -1, day: TODAY - random.int(0, 20), quantity: 1, messageId: `new-${id}` });
    }
    await storeEventsIn(tx, events);
  });
}

async function weightOf(key: string): Promise<number> {
  return (await db.value<number>(sql`SELECT weight_hundredths FROM event_types WHERE key = ${key}`)) ?? Number.NaN;
}

async function snapshot() {
  return {
    scores: await db.all(sql`SELECT * FROM account_scores ORDER BY account_id`),
    history: await db.all(sql`SELECT account_id, start_day, scores FROM score_history ORDER BY account_id`),
  };
}

describe("incremental score sync", () => {
  it("ends where a full recompute ends, batch after batch", async () => {
    for (let round = 0; round < 6; round++) {
      await ingest(randomEvents(300, `r${round}`), 2);
      const summary = await syncScores(db);
      expect(summary?.mode).toBe("incremental");
      expect(await scoresInSync(db)).toBe(true);
      const incremental = await snapshot();
      await recomputeScores(db, { asOfDay: TODAY });
      expect(incremental).toEqual(await snapshot());
    }
    expect(await db.value<number>(sql`SELECT count(*) FROM account_scores`)).toBe(42);
  });

  it("keeps live events (on the scores' day) in account_scores only: the stored history row is not rewritten", async () => {
    const history = () => db.all(sql`SELECT account_id, scores FROM score_history ORDER BY account_id`);
    const before = await history();
    const third = accountIds[2] ?? -1;
    const live = randomEvents(100, "live").map((e) => ({ ...e, day: TODAY, accountId: third }));
    await ingest(live);
    const scoreBefore = await db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${third}`);
    expect((await syncScores(db))?.mode).toBe("incremental");
    expect(await history()).toEqual(before);
    expect(await db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${third}`)).not.toBe(scoreBefore);
    const synced = await snapshot();
    await recomputeScores(db, { asOfDay: TODAY });
    expect(synced).toEqual(await snapshot());
  });

  it("has nothing to do when nothing new arrived", async () => {
    expect(await syncScores(db)).toBeNull();
  });

  it("adds the hand-worked points of new events, the same on both databases", async () => {
    const id = await db.transaction((tx) => addAccount(tx, 1000));
    accountIds.push(id);
    await syncScores(db);
    expect(await db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${id}`)).toBe(0);
    // a weighs 1.50, c 4.25, retired nothing (inactive); b −10. Window: 14 days ending today.
    await storeEvents(db, [
      { accountId: id, typeId: types.a ?? -1, day: TODAY - 1, quantity: 3, messageId: "hand-1" }, // 4.50
      { accountId: id, typeId: types.c ?? -1, day: TODAY, quantity: 2, messageId: "hand-2" }, // 8.50
      { accountId: id, typeId: types.retired ?? -1, day: TODAY, quantity: 5, messageId: "hand-3" }, // 0
      { accountId: id, typeId: types.b ?? -1, day: TODAY - 13, quantity: 1, messageId: "hand-4" }, // −10.00, first day of the window
      { accountId: id, typeId: types.b ?? -1, day: TODAY - 14, quantity: 1, messageId: "hand-5" }, // outside the window
      { accountId: id, typeId: types.a ?? -1, day: TODAY + 1, quantity: 9, messageId: "hand-6" }, // tomorrow: not yet
    ]);
    expect((await syncScores(db))?.mode).toBe("incremental");
    // 4.50 + 8.50 − 10.00 = 3.00 points
    expect(await db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${id}`)).toBe(300);
  });

  it("never counts an event twice when refreshScoresOf runs before the sync", async () => {
    await ingest(randomEvents(200, "refresh"));
    await refreshScoresOf(db, [accountIds[0] ?? -1]);
    await syncScores(db);
    const afterBoth = await snapshot();
    await recomputeScores(db, { asOfDay: TODAY });
    expect(afterBoth).toEqual(await snapshot());
  });

  it("falls back to a full recompute when the configuration changed under the stored scores", async () => {
    await ingest(randomEvents(50, "config"));
    await db.run(sql`UPDATE event_types SET weight_hundredths = 700 WHERE key = 'a'`);
    await db.run(sql`UPDATE scoring_settings SET config_version = config_version + 1 WHERE id = 1`);
    expect((await syncScores(db))?.mode).toBe("full");
    const synced = await snapshot();
    await recomputeScores(db, { asOfDay: TODAY });
    expect(synced).toEqual(await snapshot());
  });

  // SQLite has one writer at a time: ids commit in order there.
  it.runIf(testDialect === "postgres")("counts an event whose lower id commits after a higher one was synced past", async () => {
    const id = accountIds[5] ?? -1;
    await syncScores(db);
    const before = (await db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${id}`)) ?? Number.NaN;
    let commitLow = () => {};
    const lowHeld = new Promise<void>((resolve) => (commitLow = resolve));
    let lowInserted = () => {};
    const lowStarted = new Promise<void>((resolve) => (lowInserted = resolve));
    // The lower id is taken first and committed last.
    const low = db.transaction(async (tx) => {
      await storeEventsIn(tx, [{ accountId: id, typeId: types.c ?? -1, day: TODAY, quantity: 1, messageId: "low" }]);
      lowInserted();
      await lowHeld;
    });
    await lowStarted;
    // Another type: the two transactions must not wait for each other's rollup row.
    await storeEvents(db, [{ accountId: id, typeId: types.a ?? -1, day: TODAY, quantity: 2, messageId: "high" }]);
    const ids = await db.all<{ messageId: string; id: number }>(sql`SELECT message_id AS "messageId", id FROM events WHERE message_id IN ('low', 'high') ORDER BY id`);
    expect(ids.map((r) => r.messageId)).toEqual(["high"]); // the lower one is not visible yet
    // A sync now neither waits for the open transaction nor skips it: it counts what is
    // committed, and its mark (its snapshot) leaves the lower id to the next sync.
    const scoreOf = async () => db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${id}`);
    expect((await syncScores(db))?.mode).toBe("incremental");
    expect(await scoreOf()).toBe(before + 2 * (await weightOf("a")));
    expect(await scoresInSync(db)).toBe(true);
    commitLow();
    await low;
    expect(await scoresInSync(db)).toBe(false);
    expect((await syncScores(db))?.mode).toBe("incremental");
    expect(await scoreOf()).toBe(before + (await weightOf("c")) + 2 * (await weightOf("a")));
    expect(await syncScores(db)).toBeNull();
    const synced = await snapshot();
    await recomputeScores(db, { asOfDay: TODAY });
    expect(synced).toEqual(await snapshot());
  });
});
