import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { SqliteDb } from "@/db/sqlite-client";
import { Random } from "@/lib/demo/prng";
import { handleSegmentRequest } from "@/lib/ingestion/server/handlers";
import { eraseAccount } from "@/lib/operations/server/erasure";
import { createTestDb } from "../db";
import { count, json, newWriteKey, post, rollupsDifferingFromEvents, TEST_ACTOR } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

/**
 * Two servers on one database (two handles: two connection pools on PostgreSQL, two
 * connections on SQLite) ingest overlapping batches at the same time: the same message ids,
 * the same accounts (created by whichever server comes first) and the same new event types.
 * Every event is stored exactly once, every request succeeds, the servers' answers add up,
 * and the daily counts are exactly the stored events.
 */
let db: Db;
let second: Db;
let cleanup: () => Promise<void>;
let key = "";

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  if ("url" in db && typeof db.url === "string") second = new PostgresDb(createPool(db.url, { max: 4 }), db.url);
  else if ("file" in db && typeof db.file === "string") {
    const other = openDatabase(db.file);
    second = new SqliteDb(other.sqlite, other.file);
  } else throw new Error("a test database names neither a URL nor a file");
  key = await newWriteKey(db);
});
afterAll(async () => {
  await second.close();
  await cleanup();
});

const ACCOUNTS = 12;
const POOL = 900;
const EVENT_NAMES = ["Report Created", "Dashboard Shared", "Export Downloaded", "Colleague Invited"];
const HOUR = 3_600_000;
const now = Date.now();

interface PoolEvent {
  messageId: string;
  event: string;
  account: string;
  timestamp: string;
}

/** The events both servers are sent, spread over three days. */
const pool: PoolEvent[] = Array.from({ length: POOL }, (_, i) => ({
  messageId: `two-${i}`,
  event: EVENT_NAMES[i % EVENT_NAMES.length] ?? "Report Created",
  account: `shared-${i % ACCOUNTS}`,
  timestamp: new Date(now - HOUR - (i % 3) * 24 * HOUR - i * 1000).toISOString(),
}));

/** Batches of one server: every event of the pool once, in its own random order, with a group call per account. */
function batchesFor(seed: number): unknown[][] {
  const random = new Random(seed);
  const order = pool.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const batches: unknown[][] = [];
  for (let start = 0; start < order.length; start += 75) {
    const batch: unknown[] = order.slice(start, start + 75).map((i) => {
      const e = pool[i];
      return { type: "track", messageId: e?.messageId, event: e?.event, userId: "u", context: { groupId: e?.account }, timestamp: e?.timestamp };
    });
    const account = `shared-${(start / 75) % ACCOUNTS}`;
    batch.push({ type: "group", messageId: `group-${seed}-${start}`, groupId: account, userId: `user-${account}`, traits: { name: `Shared ${account}`, plan: "Pro" } });
    batches.push(batch);
  }
  return batches;
}

async function send(server: Db, batch: unknown[]): Promise<{ status: number; accepted: number; duplicates: number; rejected: number }> {
  const response = await handleSegmentRequest(server, post("/v1/batch", { batch }, { key }), "batch");
  const body = await json(response);
  return {
    status: response.status,
    accepted: typeof body.accepted === "number" ? body.accepted : -1,
    duplicates: typeof body.duplicates === "number" ? body.duplicates : -1,
    rejected: Array.isArray(body.rejected) ? body.rejected.length : -1,
  };
}

describe("two servers ingesting the same events at once", () => {
  it("store every event exactly once, answer every request, and count exactly the stored events", async () => {
    const [a, b] = [batchesFor(1), batchesFor(2)];
    // Each server sends its batches four at a time, both servers at once.
    const run = async (server: Db, batches: unknown[][]) => {
      const answers: Awaited<ReturnType<typeof send>>[] = [];
      for (let i = 0; i < batches.length; i += 4) answers.push(...(await Promise.all(batches.slice(i, i + 4).map((batch) => send(server, batch)))));
      return answers;
    };
    const answers = (await Promise.all([run(db, a), run(second, b)])).flat();

    expect(answers.filter((r) => r.status !== 200)).toEqual([]);
    expect(answers.every((r) => r.rejected === 0)).toBe(true);
    const accepted = answers.reduce((sum, r) => sum + r.accepted, 0);
    const duplicates = answers.reduce((sum, r) => sum + r.duplicates, 0);
    // Every track call is accepted by exactly one server; each group call (its own message id) by its sender.
    const groupCalls = a.length + b.length;
    expect(accepted).toBe(POOL + groupCalls);
    expect(duplicates).toBe(POOL);

    expect(await count(db, "SELECT count(*) FROM events")).toBe(POOL);
    expect(await count(db, "SELECT count(DISTINCT message_id) FROM events")).toBe(POOL);
    expect(await count(db, "SELECT count(*) FROM accounts WHERE external_id LIKE 'shared-%'")).toBe(ACCOUNTS);
    expect(await count(db, "SELECT count(*) FROM event_types WHERE key IN ('report_created', 'dashboard_shared', 'export_downloaded', 'colleague_invited')")).toBe(4);
    // The daily counts are the stored events, key by key.
    expect(await count(db, "SELECT coalesce(sum(count), 0) FROM daily_rollups")).toBe(POOL);
    expect(await rollupsDifferingFromEvents(db)).toEqual([]);
    expect(await count(db, "SELECT count(*) FROM accounts WHERE external_id LIKE 'shared-%' AND plan = 'Pro'")).toBe(ACCOUNTS);
  });
});

describe("an account erased through one server", () => {
  it("is created anew when the other server, which remembered its id, ingests its external id again", async (ctx) => {
    // Several servers share one database on PostgreSQL only; a SQLite file has one server process.
    if (db.dialect !== "postgres") ctx.skip();
    const track = (messageId: string) => ({ type: "track", messageId, event: "Report Created", userId: "u-erased", context: { groupId: "erased-account" }, timestamp: new Date(now - HOUR).toISOString() });
    expect(await send(second, [track("erased-1")])).toMatchObject({ status: 200, accepted: 1 });
    const erasedId = await count(db, "SELECT id FROM accounts WHERE external_id = 'erased-account'");
    // Erased through the first server: what the second server's process remembers is not its to clear.
    expect(await eraseAccount(db, TEST_ACTOR, erasedId)).not.toBeNull();
    expect(await send(second, [track("erased-2")])).toMatchObject({ status: 200, accepted: 1 });
    const newId = await count(db, "SELECT id FROM accounts WHERE external_id = 'erased-account'");
    expect(newId).not.toBe(erasedId);
    expect(await count(db, "SELECT count(*) FROM events WHERE account_id = ?", newId)).toBe(1);
  });
});
