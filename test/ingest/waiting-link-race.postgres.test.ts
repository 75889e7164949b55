import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { PostgresDb } from "@/db/postgres-client";
import { handleSegmentRequest } from "@/lib/ingestion/server/handlers";
import { createTestDb } from "../db";
import { openSecondServer } from "../second-server";
import { count, HOUR, isoAgo, newWriteKey, post } from "./helpers";

/**
 * An event of a user no account is linked to yet waits (pending_events) for the identify or
 * group that links the user. On PostgreSQL the event and the link may be written by two
 * transactions at the same moment (two requests of a browser, two servers): the link's
 * transaction must still find the waiting event, or it waits forever. Here the event's
 * transaction is held just before it stores the waiting event (a lock on pending_events from
 * a third connection) while the link is written through a second server.
 */
let db: Db;
let second: Db;
let cleanup: () => Promise<void>;
let key = "";

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  second = openSecondServer(db);
  key = await newWriteKey(db);
});
afterAll(async () => {
  await second.close();
  await cleanup();
});

/** Resolves once `condition` holds (checked every 10 ms); fails the test after 10 s. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("the condition never held");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const waitingOnLock = (kind: "relation" | "advisory") =>
  until(async () => (await count(db, `SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = '${kind}'`)) > 0);

describe("an event and the link it waits for, written at the same moment", () => {
  it("the event is stored on the linked account, never left waiting", async () => {
    if (!(db instanceof PostgresDb)) throw new Error("a PostgreSQL test");
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE pending_events IN SHARE MODE");
      const tracked = handleSegmentRequest(
        db,
        post("/v1/batch", { batch: [{ type: "track", event: "Report Created", userId: "u-race", messageId: "race-t", timestamp: isoAgo(HOUR) }] }, { key }),
        "batch",
      );
      // The event's transaction found no link and is about to store the event as waiting.
      await waitingOnLock("relation");
      const identified = handleSegmentRequest(
        second,
        post("/v1/batch", { batch: [{ type: "identify", userId: "u-race", traits: { company: { id: "race-co", name: "Race Co" } }, messageId: "race-i" }] }, { key }),
        "batch",
      );
      // Either the link is written at once (then the event must find it) or it waits for the event's transaction.
      await Promise.race([identified, waitingOnLock("advisory")]);
      await blocker.query("COMMIT");
      expect((await tracked).status).toBe(200);
      expect((await identified).status).toBe(200);
    } finally {
      await blocker.end();
    }
    expect(await count(db, "SELECT count(*) FROM pending_events")).toBe(0);
    expect(await count(db, "SELECT count(*) FROM events e JOIN accounts a ON a.id = e.account_id WHERE e.message_id = 'race-t' AND a.external_id = 'race-co'")).toBe(1);
  });
});
