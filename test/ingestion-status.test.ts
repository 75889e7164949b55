import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { getIngestionStatus } from "@/lib/ingestion/server/ingestion-status";
import { createTestDb } from "./db";

/** The write-keys page's figures on incoming data, against a hand-counted database. */
let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

const TODAY = 20_500;

async function seed() {
  const typeId = await db.value<number>(sql`INSERT INTO event_types (key, label) VALUES ('login', 'Login') RETURNING id`);
  await db.run(sql`INSERT INTO event_types (key, label, is_new) VALUES ('export', 'Export', 1), ('share', 'Share', 1)`);
  const accountId = await db.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES ('a-1', 'Acme') RETURNING id`);
  // Today: 3 + 4 events of two types; yesterday's 10 are not today's.
  const otherType = await db.value<number>(sql`SELECT id FROM event_types WHERE key = 'export'`);
  await db.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES
    (${TODAY}, ${accountId}, ${typeId}, 3), (${TODAY}, ${accountId}, ${otherType}, 4), (${TODAY - 1}, ${accountId}, ${typeId}, 10)`);
  // Waiting: "alice" and "Ben" 2 events each, an anonymous visitor 1 (counted by anonymous id).
  const waiting: [string | null, string | null, number][] = [
    ["alice", null, 5_000],
    ["alice", null, 4_000],
    ["Ben", null, 7_000],
    ["Ben", "anon-b", 6_000],
    [null, "anon-1", 9_000],
  ];
  let n = 0;
  for (const [userId, anonymousId, receivedAt] of waiting) {
    n += 1;
    await db.run(sql`INSERT INTO pending_events (type_id, occurred_at, day, message_id, received_at, user_id, anonymous_id)
      VALUES (${typeId}, ${receivedAt}, ${TODAY}, ${`m-${n}`}, ${receivedAt}, ${userId}, ${anonymousId})`);
  }
  await db.run(sql`INSERT INTO write_keys (label, prefix, key_hash, created_by, revoked_at) VALUES
    ('Live', 'ces_1', 'h1', 'Ada', NULL), ('Old', 'ces_2', 'h2', 'Ada', 1000), ('Site', 'ces_3', 'h3', 'Ada', NULL)`);
}

describe("getIngestionStatus", () => {
  it("reports an empty installation as zeros", async () => {
    expect(await getIngestionStatus(db, { today: TODAY })).toEqual({
      eventsToday: 0,
      waitingEvents: 0,
      waitingUsers: 0,
      topWaiting: [],
      newEventTypes: 0,
      activeKeys: 0,
    });
  });

  it("counts today's events, waiting events and users, new types and active keys", async () => {
    await seed();
    const status = await getIngestionStatus(db, { today: TODAY });
    expect(status).toMatchObject({ eventsToday: 7, waitingEvents: 5, waitingUsers: 3, newEventTypes: 2, activeKeys: 2 });
  });

  it("lists the users with most waiting events first, ties in byte order, with their oldest event", async () => {
    const status = await getIngestionStatus(db, { today: TODAY, topWaiting: 2 });
    // "Ben" sorts before "alice" byte by byte on both databases (a locale would put "alice" first).
    expect(status.topWaiting).toEqual([
      { userId: "Ben", events: 2, since: 6_000 },
      { userId: "alice", events: 2, since: 4_000 },
    ]);
    expect((await getIngestionStatus(db, { today: TODAY })).topWaiting.map((w) => w.userId)).toEqual(["Ben", "alice", "anon-1"]);
  });
});
