import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayDay } from "@/lib/days";
import { openApiDocument } from "@/lib/ingestion/openapi";
import { handleNativeAccounts, handleNativeEvents } from "@/lib/ingestion/server/handlers";
import { createTestDb, testDialect } from "../db";
import type { Db } from "@/db/client";
import { count, HOUR, isoAgo, json, newWriteKey, post, query, recomputeOnSqlite } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

let key = "";
beforeAll(async () => {
  await db.run(query("INSERT INTO event_types (key, label, weight_hundredths) VALUES ('colleague_invited', 'Colleague invited', 400)"));
  await recomputeOnSqlite(db, todayDay());
  key = await newWriteKey(db);
});

const events = (body: unknown, options: Parameters<typeof post>[2] = {}) =>
  handleNativeEvents(db, post("/api/v1/events", body, { authorization: `Bearer ${key}`, ...options }));
const accounts = (body: unknown, options: Parameters<typeof post>[2] = {}) =>
  handleNativeAccounts(db, post("/api/v1/accounts", body, { authorization: `Bearer ${key}`, ...options }));

describe("POST /api/v1/accounts", () => {
  it("creates and updates accounts, links user ids and replaces tags", async () => {
    const res = await accounts({
      accounts: [
        { id: "n-1", name: "North One", plan: "Pro", renewalDate: "2027-01-31", arr: 5000, stage: "trial", tags: ["pilot"], userIds: ["nu-1"] },
        { id: "n-2" },
      ],
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ success: true, accepted: 2, duplicates: 0, rejected: [], created: 2, updated: 0 });
    const again = await json(await accounts({ accounts: [{ id: "n-1", plan: null, stage: "customer", tags: [] }] }));
    expect(again).toMatchObject({ created: 0, updated: 1 });
    expect(await db.get(query("SELECT name, plan, renewal_date AS renewal, arr, stage FROM accounts WHERE external_id = 'n-1'"))).toEqual({
      name: "North One",
      plan: null,
      renewal: "2027-01-31",
      arr: 5000,
      stage: "customer",
    });
    expect(await db.value(query("SELECT name FROM accounts WHERE external_id = 'n-2'"))).toBe("n-2");
    expect(await count(db, "SELECT count(*) FROM account_tags t JOIN accounts a ON a.id = t.account_id WHERE a.external_id = 'n-1'")).toBe(0);
    expect(await db.value(query("SELECT a.external_id FROM user_links l JOIN accounts a ON a.id = l.account_id WHERE l.user_id = 'nu-1'"))).toBe("n-1");
  });

  it("rejects invalid accounts by index and field, storing the valid ones", async () => {
    const body = await json(
      await accounts({ accounts: [{ id: "n-3", renewalDate: "31/01/2027" }, { id: "n-4", stage: "prospect" }, { name: "no id" }, { id: "n-5", colour: "red" }, { id: "n-6" }] }),
    );
    expect(body).toMatchObject({ accepted: 1, created: 1 });
    expect((body.rejected as { index: number; field: string }[]).map((r) => [r.index, r.field])).toEqual([
      [0, "renewalDate"],
      [1, "stage"],
      [2, "id"],
      [3, ""],
    ]);
  });

  it("answers a body of the wrong shape with 400 and a bad key with 401", async () => {
    const res = await accounts({ account: [] });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ success: false, error: { code: "invalid_request", field: "accounts" } });
    expect((await accounts({ accounts: [] }, { authorization: "Bearer ces_nope" })).status).toBe(401);
  });
});

describe("POST /api/v1/events", () => {
  it("stores events for an account or a linked user, with quantity, idempotently", async () => {
    const batch = {
      events: [
        { messageId: "ne-1", event: "Colleague Invited", accountId: "n-1", timestamp: isoAgo(HOUR), quantity: 3 },
        { messageId: "ne-2", event: "colleague_invited", userId: "nu-1", timestamp: isoAgo(2 * HOUR) },
        { messageId: "ne-3", event: "Brand New Thing", userId: "nobody-yet", timestamp: isoAgo(HOUR) },
      ],
    };
    expect(await json(await events(batch, { gzip: true }))).toEqual({ success: true, accepted: 3, duplicates: 0, rejected: [] });
    expect(await json(await events(batch))).toEqual({ success: true, accepted: 0, duplicates: 3, rejected: [] });
    expect(await db.value(query("SELECT sum(quantity) FROM events e JOIN accounts a ON a.id = e.account_id WHERE a.external_id = 'n-1'"))).toBe(4);
    expect(await count(db, "SELECT count(*) FROM pending_events WHERE user_id = 'nobody-yet'")).toBe(1);
    // 4 invitations × 4 points.
    // The scores follow on SQLite (the score sync is not on PostgreSQL yet).
    if (testDialect === "sqlite") expect(await db.value(query("SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = 'n-1'"))).toBe(1600);
  });

  it("requires a timestamp with a zone and an account or user, naming the field", async () => {
    const body = await json(
      await events({
        events: [
          { event: "x", accountId: "n-1" },
          { event: "x", accountId: "n-1", timestamp: "2026-01-01 10:00" },
          { event: "x", timestamp: isoAgo(HOUR) },
          { event: "x", accountId: "n-1", timestamp: isoAgo(HOUR), quantity: 0 },
        ],
      }),
    );
    expect((body.rejected as { field: string }[]).map((r) => r.field)).toEqual(["timestamp", "timestamp", "accountId", "quantity"]);
  });

  it("answers more than 2,500 events with 413", async () => {
    const res = await events({ events: Array.from({ length: 2501 }, (_, i) => ({ event: "x", accountId: "n-1", timestamp: isoAgo(HOUR), messageId: `m${i}` })) });
    expect(res.status).toBe(413);
  });
});

describe("the OpenAPI document", () => {
  const doc = openApiDocument("http://localhost:3000") as {
    openapi: string;
    paths: Record<string, { post: { parameters?: unknown[]; requestBody: { content: { "application/json": { schema: { $ref: string } } } } } }>;
    components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
  };

  it("describes the native endpoints, the Segment batch and analytics.js' settings", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(["/api/v1/events", "/api/v1/accounts", "/api/v1/outcomes", "/v1/batch", "/v1/projects/{writeKey}/settings", "/api/v1/accounts/{id}/score", "/api/v1/scores"]);
    expect(doc.paths["/api/v1/events"]?.post.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/EventsRequest");
  });

  it("documents the dry run on every endpoint, and what its answer holds", () => {
    const ingestion = Object.entries(doc.paths).filter(([, path]) => "post" in path);
    expect(ingestion.map(([name]) => name)).toEqual(["/api/v1/events", "/api/v1/accounts", "/api/v1/outcomes", "/v1/batch"]);
    for (const [, path] of ingestion) {
      expect(path.post.parameters).toEqual([expect.objectContaining({ name: "dryRun", in: "query", schema: { type: "boolean", default: false } })]);
    }
    expect(Object.keys(doc.components.schemas.IngestResult?.properties ?? {})).toEqual(["success", "accepted", "duplicates", "rejected", "dryRun", "wouldStore"]);
    expect(Object.keys(doc.components.schemas.WouldStore?.properties ?? {})).toEqual([
      "events",
      "waitingEvents",
      "accountsCreated",
      "accountsUpdated",
      "eventTypesCreated",
      "outcomesCreated",
      "outcomesUpdated",
    ]);
  });

  it("is generated from the validating schemas", () => {
    const event = doc.components.schemas.Event;
    expect(Object.keys(event?.properties ?? {})).toEqual(["messageId", "event", "accountId", "userId", "timestamp", "quantity", "properties"]);
    expect(event?.required).toEqual(["event", "timestamp"]);
    const account = doc.components.schemas.Account;
    expect(Object.keys(account?.properties ?? {})).toContain("renewalDate");
    expect(JSON.stringify(doc.components.schemas.EventsRequest)).toContain("#/components/schemas/Event");
  });
});
