import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayDay } from "@/lib/days";
import { SAMPLE_TRACK_MESSAGE, sampleTrackPath } from "@/lib/ingestion/sample";
import { handleNativeEvents, handleNativeOutcomes, handleSegmentRequest } from "@/lib/ingestion/server/handlers";
import { createTestDb, testDialect } from "../db";
import type { Db } from "@/db/client";
import { basic, count, json, newWriteKey, post, query, recomputeOnSqlite } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

/**
 * Dry runs (`?dryRun=true` on every ingestion endpoint): the key and the payload are checked
 * exactly as a real call checks them, the answer says what would be stored, and nothing is.
 */
let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

let key = "";
beforeAll(async () => {
  await db.run(query("INSERT INTO event_types (key, label, weight_hundredths) VALUES ('report_created', 'Report created', 200)"));
  await db.run(query("INSERT INTO accounts (external_id, name) VALUES ('known-co', 'Known Co')"));
  await recomputeOnSqlite(db, todayDay());
  key = await newWriteKey(db);
});

/** Every row of every table, so "unchanged" means unchanged. */
async function contents(): Promise<string> {
  const tables = await db.all<{ name: string }>(
    testDialect === "sqlite"
      ? query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      : query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"),
  );
  const rows: [string, unknown[]][] = [];
  for (const { name } of tables) rows.push([name, await db.all(query(`SELECT * FROM "${name}"`))]);
  return JSON.stringify(rows);
}

const now = () => new Date().toISOString();

describe("the sample call shown after creating a key", () => {
  it("answers success with what it would store, and stores nothing", async () => {
    const before = await contents();
    const response = await handleSegmentRequest(db, post(sampleTrackPath(), SAMPLE_TRACK_MESSAGE, { authorization: basic(key) }), "track");
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      success: true,
      dryRun: true,
      accepted: 1,
      duplicates: 0,
      rejected: [],
      wouldStore: { events: 1, waitingEvents: 0, accountsCreated: 1, accountsUpdated: 0, eventTypesCreated: 0, outcomesCreated: 0, outcomesUpdated: 0 },
    });
    expect(await contents()).toBe(before);
    expect(await count(db, "SELECT count(*) FROM accounts WHERE external_id = 'acme'")).toBe(0);
  });
});

describe("a dry run answers as the real call would", () => {
  const batch = () => ({
    events: [
      { messageId: "d-1", accountId: "known-co", event: "Report Created", timestamp: now() },
      { messageId: "d-2", accountId: "new-co", event: "Brand New Thing", timestamp: now() },
      { messageId: "d-3", userId: "nobody-yet", event: "Report Created", timestamp: now() },
      { messageId: "d-4", accountId: "known-co", event: "Report Created", timestamp: "yesterday" },
    ],
  });

  it("checks each item, counts new accounts, types and waiting events, and leaves the database as it was", async () => {
    const before = await contents();
    const dry = await json(await handleNativeEvents(db, post("/api/v1/events?dryRun=true", batch(), { authorization: `Bearer ${key}` })));
    expect(await contents()).toBe(before);
    expect(dry).toMatchObject({
      success: true,
      dryRun: true,
      accepted: 3,
      duplicates: 0,
      wouldStore: { events: 3, waitingEvents: 1, accountsCreated: 1, eventTypesCreated: 1 },
    });

    const real = await json(await handleNativeEvents(db, post("/api/v1/events", batch(), { authorization: `Bearer ${key}` })));
    const { dryRun: _dryRun, wouldStore: _wouldStore, ...dryAnswer } = dry;
    expect(real).toEqual(dryAnswer);
    expect(await count(db, "SELECT count(*) FROM accounts WHERE external_id = 'new-co'")).toBe(1);
  });

  it("reports duplicates of stored events as duplicates", async () => {
    const dry = await json(await handleNativeEvents(db, post("/api/v1/events?dryRun=1", batch(), { authorization: `Bearer ${key}` })));
    expect(dry).toMatchObject({ dryRun: true, accepted: 0, duplicates: 3, wouldStore: { events: 0, accountsCreated: 0 } });
  });

  it("rejects outcomes of unknown accounts exactly as the real call", async () => {
    const body = { outcomes: [{ accountId: "ghost", renewalDate: "2026-03-31", outcome: "renewed" }, { accountId: "known-co", renewalDate: "2026-03-31", outcome: "churned" }] };
    const before = await contents();
    const dry = await json(await handleNativeOutcomes(db, post("/api/v1/outcomes?dryRun=true", body, { authorization: `Bearer ${key}` })));
    expect(await contents()).toBe(before);
    expect(dry).toMatchObject({ dryRun: true, accepted: 1, created: 1, wouldStore: { outcomesCreated: 1 } });
    expect(dry.rejected).toMatchObject([{ index: 0, field: "accountId", message: 'account "ghost" does not exist; create it first' }]);
    const real = await json(await handleNativeOutcomes(db, post("/api/v1/outcomes", body, { authorization: `Bearer ${key}` })));
    const { dryRun: _dryRun, wouldStore: _wouldStore, ...dryAnswer } = dry;
    expect(real).toEqual(dryAnswer);
  });

  it("does not remember what it rolled back: a real call afterwards creates the account", async () => {
    const message = { ...SAMPLE_TRACK_MESSAGE, context: { groupId: "tried-first" }, messageId: "t-1" };
    await handleSegmentRequest(db, post("/v1/track?dryRun=true", message, { key }), "track");
    const real = await json(await handleSegmentRequest(db, post("/v1/track", message, { key }), "track"));
    expect(real).toMatchObject({ accepted: 1 });
    expect(await count(db, "SELECT count(*) FROM events e JOIN accounts a ON a.id = e.account_id WHERE a.external_id = 'tried-first'")).toBe(1);
  });
});

describe("refusals", () => {
  it("checks the key: an unknown key gets 401", async () => {
    const response = await handleSegmentRequest(db, post(sampleTrackPath(), SAMPLE_TRACK_MESSAGE, { key: "ces_not_a_real_key" }), "track");
    expect(response.status).toBe(401);
  });

  it("names the parameter when its value is not true or false", async () => {
    const response = await handleNativeEvents(db, post("/api/v1/events?dryRun=maybe", { events: [] }, { key }));
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ success: false, error: { code: "invalid_request", field: "dryRun" } });
  });

  it("stores as usual with dryRun=false", async () => {
    const message = { ...SAMPLE_TRACK_MESSAGE, context: { groupId: "really-sent" }, messageId: "r-1" };
    const body = await json(await handleSegmentRequest(db, post("/v1/track?dryRun=false", message, { key }), "track"));
    expect(body).toEqual({ success: true, accepted: 1, duplicates: 0, rejected: [] });
    expect(await count(db, "SELECT count(*) FROM accounts WHERE external_id = 'really-sent'")).toBe(1);
  });
});
