import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import BetterSqlite3 from "better-sqlite3";
import type { Db } from "@/db/client";
import { SqliteDb } from "@/db/sqlite-client";
import { gzipSync } from "node:zlib";
import { dayFromMs, todayDay } from "@/lib/days";
import { handleSegmentRequest, segmentPreflight } from "@/lib/ingestion/server/handlers";
import { recomputeScores } from "@/lib/scoring/server/recompute-db";
import { revokeWriteKey } from "@/lib/ingestion/server/write-keys";
import { createTestDb, testDialect } from "../db";
import { basic, count, DAY, HOUR, isoAgo, json, newWriteKey, post, TEST_ACTOR } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

let data: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());

let key = "";

beforeAll(async () => {
  ({ db: data, cleanup } = await createTestDb());
  await data.run(sql`INSERT INTO event_types (key, label, weight_hundredths) VALUES ('report_created', 'Report created', 200), ('session_started', 'Session started', 150), ('page_viewed', 'Page viewed', 10)`);
  await recomputeScores(data, { asOfDay: todayDay() });
  key = await newWriteKey(data);
});

const send = (path: string, body: unknown, options: Parameters<typeof post>[2] = {}) =>
  handleSegmentRequest(data, post(`/v1/${path}`, body, { key, ...options }), path);

function account(externalId: string) {
  return data.get<Record<string, unknown>>(sql`SELECT * FROM accounts WHERE external_id = ${externalId}`);
}

function eventsOf(externalId: string) {
  return data.all<{ messageId: string; type: string; occurredAt: number; day: number; receivedAt: number; quantity: number }>(
    sql`SELECT e.message_id AS "messageId", t.key AS type, e.occurred_at AS "occurredAt", e.day, e.received_at AS "receivedAt", e.quantity
         FROM events e JOIN accounts a ON a.id = e.account_id JOIN event_types t ON t.id = e.type_id
        WHERE a.external_id = ${externalId} ORDER BY e.id`,
  );
}

function scoreOf(externalId: string) {
  return data.get<{ score: number; band: string }>(
    sql`SELECT s.score_hundredths AS score, s.band FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ${externalId}`,
  );
}

describe("authentication", () => {
  const track = (id: string) => ({ type: "track", event: "Report Created", userId: "u", context: { groupId: "auth-co" }, messageId: id });

  it("accepts Basic auth with the key as user name, with or without the colon", async () => {
    expect((await send("track", track("auth-1"), { authorization: basic(key, true) })).status).toBe(200);
    expect((await send("track", track("auth-2"), { authorization: basic(key, false) })).status).toBe(200);
  });

  it("accepts the key as writeKey in the body, and as a Bearer token", async () => {
    const res = await handleSegmentRequest(data, post("/v1/batch", { batch: [track("auth-3")], writeKey: key }), "batch");
    expect(res.status).toBe(200);
    expect((await send("track", track("auth-4"), { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await eventsOf("auth-co")).map((e) => e.messageId)).toEqual(["auth-1", "auth-2", "auth-3", "auth-4"]);
  });

  it("refuses a missing, unknown or revoked key with 401 and stores nothing", async () => {
    const before = await count(data, "SELECT count(*) FROM events");
    const missing = await handleSegmentRequest(data, post("/v1/track", track("auth-x1")), "track");
    expect(missing.status).toBe(401);
    expect(await json(missing)).toMatchObject({ success: false, error: { code: "invalid_write_key" } });

    expect((await send("track", track("auth-x2"), { key: "ces_notARealKey000000000000000000000000000000" })).status).toBe(401);
    expect((await send("track", track("auth-x3"), { authorization: "Digest abc" })).status).toBe(401);

    const revoked = await newWriteKey(data, "to revoke");
    const id = await count(data, "SELECT id FROM write_keys WHERE label = 'to revoke'");
    expect((await send("track", track("auth-x4"), { key: revoked })).status).toBe(200);
    await revokeWriteKey(data, { actor: TEST_ACTOR, id });
    expect((await send("track", track("auth-x5"), { key: revoked })).status).toBe(401);
    expect(await count(data, "SELECT count(*) FROM events")).toBe(before + 1);
  });

  it("checks a key in the header even when the body carries a valid one", async () => {
    const res = await handleSegmentRequest(
      data,
      post("/v1/batch", { batch: [track("auth-x6")], writeKey: key }, { key: "ces_wrong000000000000000000000000000000000000" }),
      "batch",
    );
    expect(res.status).toBe(401);
  });

  it("never accepts a session cookie instead of a key", async () => {
    const res = await handleSegmentRequest(data, post("/v1/track", track("auth-x7"), { headers: { cookie: "session=admin" } }), "track");
    expect(res.status).toBe(401);
  });

  it("records when a key was last used", async () => {
    const lastUsed = await count(data, "SELECT last_used_at FROM write_keys WHERE label = 'test key'");
    expect(lastUsed).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("request bodies", () => {
  const batch = (prefix: string, n: number) => ({
    batch: Array.from({ length: n }, (_, i) => ({ type: "track", event: "Session Started", messageId: `${prefix}-${i}`, context: { groupId: "body-co" } })),
  });

  it("parses JSON whatever the Content-Type says", async () => {
    const res = await send("batch", batch("ct", 2), { contentType: "text/plain" });
    expect(await json(res)).toEqual({ success: true, accepted: 2, duplicates: 0, rejected: [] });
    const none = await handleSegmentRequest(
      data,
      new Request("http://localhost/v1/batch", { method: "POST", headers: { authorization: basic(key) }, body: JSON.stringify(batch("ct2", 1)) }),
      "batch",
    );
    expect(none.status).toBe(200);
  });

  it("accepts gzip-compressed bodies", async () => {
    const res = await send("batch", batch("gz", 3), { gzip: true });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ accepted: 3 });
    expect(await count(data, "SELECT count(*) FROM events WHERE message_id LIKE 'gz-%'")).toBe(3);
  });

  it("answers malformed JSON, an empty body and a broken gzip stream with 400", async () => {
    const bad = await send("batch", "{ not json");
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ success: false, error: { code: "malformed_json" } });
    expect((await send("batch", "")).status).toBe(400);
    const broken = new Request("http://localhost/v1/batch", {
      method: "POST",
      headers: { authorization: basic(key), "content-encoding": "gzip" },
      body: Buffer.from("definitely not gzip"),
    });
    const res = await handleSegmentRequest(data, broken, "batch");
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: { code: "invalid_gzip" } });
  });

  it("answers a batch without a batch array with 400", async () => {
    const res = await send("batch", { events: [] });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ success: false, error: { code: "invalid_request", field: "batch" } });
  });

  it("refuses an unsupported Content-Encoding with 415", async () => {
    const res = await send("batch", batch("br", 1), { headers: { "content-encoding": "br" } });
    expect(res.status).toBe(415);
  });

  it("refuses bodies over 4 MB with 413: declared, streamed, or after decompression", async () => {
    const big = "x".repeat(4 * 1024 * 1024 + 10);
    const declared = await send("batch", big);
    expect(declared.status).toBe(413);
    expect(await json(declared)).toMatchObject({ success: false, error: { code: "payload_too_large" } });

    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(1024 * 1024).fill(32));
        controller.close();
      },
    });
    const streamed = new Request("http://localhost/v1/batch", { method: "POST", headers: { authorization: basic(key) }, body: stream, duplex: "half" } as RequestInit);
    expect((await handleSegmentRequest(data, streamed, "batch")).status).toBe(413);

    // 5 MB of spaces compress to a few KB: a gzip bomb in miniature.
    const bomb = gzipSync(Buffer.from(`{"batch":[]${" ".repeat(5 * 1024 * 1024)}}`));
    expect(bomb.byteLength).toBeLessThan(100_000);
    const res = await handleSegmentRequest(
      data,
      new Request("http://localhost/v1/batch", { method: "POST", headers: { authorization: basic(key), "content-encoding": "gzip" }, body: bomb }),
      "batch",
    );
    expect(res.status).toBe(413);
  });

  it("refuses more than 2,500 events with 413 and stores none of them", async () => {
    const res = await send("batch", batch("many", 2501));
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject({ error: { code: "too_many_events" } });
    expect(await count(data, "SELECT count(*) FROM events WHERE message_id LIKE 'many-%'")).toBe(0);
    expect((await send("batch", batch("max", 2500))).status).toBe(200);
    expect(await count(data, "SELECT count(*) FROM events WHERE message_id LIKE 'max-%'")).toBe(2500);
  });

  it("rejects an event over 32 KB inside a batch but stores the rest", async () => {
    const body = batch("size", 3);
    const second = body.batch[1];
    if (second) Object.assign(second, { properties: { blob: "y".repeat(33 * 1024) } });
    const res = await send("batch", body);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      success: true,
      accepted: 2,
      duplicates: 0,
      rejected: [{ index: 1, messageId: "size-1", field: "", message: "is larger than 32 KB" }],
    });
  });

  it("answers a single call over 32 KB with 413", async () => {
    const res = await send("track", { event: "Session Started", messageId: "big-1", context: { groupId: "body-co" }, properties: { blob: "y".repeat(33 * 1024) } });
    expect(res.status).toBe(413);
  });
});

describe("routes, CORS and the error shape", () => {
  it("understands every call and its short form", async () => {
    const base = { userId: "route-user", context: { groupId: "route-co" } };
    const calls: [string, Record<string, unknown>][] = [
      ["track", { ...base, event: "Report Created", messageId: "r-track" }],
      ["t", { ...base, event: "Report Created", messageId: "r-t" }],
      ["page", { ...base, name: "Pricing", messageId: "r-page" }],
      ["p", { ...base, messageId: "r-p" }],
      ["screen", { ...base, name: "Home", messageId: "r-screen" }],
      ["s", { ...base, messageId: "r-s" }],
      ["identify", { userId: "route-user", traits: { email: "a@b.c" }, messageId: "r-identify" }],
      ["i", { userId: "route-user", messageId: "r-i" }],
      ["group", { userId: "route-user", groupId: "route-co", traits: { name: "Route Co" }, messageId: "r-group" }],
      ["g", { userId: "route-user", groupId: "route-co", messageId: "r-g" }],
      ["alias", { userId: "route-user", previousId: "anon-route", messageId: "r-alias" }],
      ["a", { userId: "route-user", previousId: "anon-route-2", messageId: "r-a" }],
      ["b", { batch: [{ ...base, type: "track", event: "Report Created", messageId: "r-b" }] }],
      ["batch", { batch: [{ ...base, type: "track", event: "Report Created", messageId: "r-batch" }] }],
    ];
    for (const [path, body] of calls) {
      const res = await send(path, body);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(await json(res), path).toMatchObject({ success: true, accepted: 1, duplicates: 0, rejected: [] });
    }
    expect((await eventsOf("route-co")).map((e) => [e.messageId, e.type])).toEqual([
      ["r-track", "report_created"],
      ["r-t", "report_created"],
      ["r-page", "page_viewed"],
      ["r-p", "page_viewed"],
      ["r-screen", "screen_viewed"],
      ["r-s", "screen_viewed"],
      ["r-b", "report_created"],
      ["r-batch", "report_created"],
    ]);
    expect(await account("route-co")).toMatchObject({ name: "Route Co" });
  });

  it("answers an unknown call with a 404 in the error shape", async () => {
    const res = await send("nope", {});
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ success: false, error: { code: "not_found", message: "There is no /v1/nope endpoint." } });
  });

  it("answers a CORS preflight that asks for Authorization", () => {
    const res = segmentPreflight();
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });

  it("sends CORS headers on errors too", async () => {
    const res = await handleSegmentRequest(data, post("/v1/track", {}), "track");
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("answers an invalid single call with 400 naming the field", async () => {
    const res = await send("track", { userId: "u", messageId: "no-event" });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ success: false, error: { code: "invalid_event", message: "event: is required for a track call", field: "event" } });
  });
});

describe("mapping", () => {
  it("upserts an account from group traits, including tags", async () => {
    const res = await send("group", {
      groupId: "acme",
      userId: "alice",
      messageId: "g-acme-1",
      traits: {
        name: "Acme Inc",
        plan: "Enterprise",
        industry: "Manufacturing",
        region: "EMEA",
        account_manager: "Dana Scully",
        renewal_date: "2027-03-31",
        arr: 120000,
        lifecycle_stage: "customer",
        signup_date: "2024-01-15T10:00:00Z",
        trialEndDate: "2024-02-15",
        tags: ["strategic", "beta"],
        employees: 250,
      },
    });
    expect(res.status).toBe(200);
    expect(await account("acme")).toMatchObject({
      name: "Acme Inc",
      plan: "Enterprise",
      industry: "Manufacturing",
      region: "EMEA",
      account_manager: "Dana Scully",
      renewal_date: "2027-03-31",
      arr: 120000,
      stage: "customer",
      signup_date: "2024-01-15",
      trial_end_date: "2024-02-15",
    });
    const tags = async () =>
      (await data.all<{ tag: string }>(sql`SELECT tag FROM account_tags t JOIN accounts a ON a.id = t.account_id WHERE a.external_id = 'acme' ORDER BY tag`)).map((r) => r.tag);
    expect(await tags()).toEqual(["beta", "strategic"]);

    // A later call changes what it names, clears what it sets to null, keeps the rest.
    await send("group", { groupId: "acme", messageId: "g-acme-2", traits: { plan: "Growth", region: null, tags: "vip, strategic" } });
    expect(await account("acme")).toMatchObject({ name: "Acme Inc", plan: "Growth", region: null, industry: "Manufacturing", arr: 120000 });
    expect(await tags()).toEqual(["strategic", "vip"]);
  });

  it("rejects a group call with an invalid trait, naming it", async () => {
    const res = await send("batch", {
      batch: [
        { type: "group", groupId: "bad-co", messageId: "g-bad", traits: { renewal_date: "next spring" } },
        { type: "group", groupId: "bad-co-2", messageId: "g-bad-2", traits: { arr: -5 } },
        { type: "group", messageId: "g-bad-3", traits: { name: "No id" } },
      ],
    });
    const body = await json(res);
    expect(body).toMatchObject({ accepted: 0 });
    expect(body.rejected).toEqual([
      { index: 0, messageId: "g-bad", field: "traits.renewal_date", message: "must be a date as YYYY-MM-DD" },
      { index: 1, messageId: "g-bad-2", field: "traits.arr", message: "must be an amount of at least 0, like 12000 or 12,000.50" },
      { index: 2, messageId: "g-bad-3", field: "groupId", message: "is required for a group call" },
    ]);
    expect(await account("bad-co")).toBeUndefined();
  });

  it("attributes track calls to context.groupId, properties.groupId, or the user's account", async () => {
    await send("identify", { userId: "bob", context: { groupId: "globex" }, messageId: "i-bob" });
    await send("identify", { userId: "carol", traits: { company: { id: "initech", name: "Initech", plan: "Starter" } }, messageId: "i-carol" });
    const res = await send("batch", {
      batch: [
        { type: "track", event: "Report Created", userId: "someone", context: { groupId: "hooli" }, messageId: "t-1" },
        { type: "track", event: "Report Created", userId: "someone", properties: { groupId: "hooli" }, messageId: "t-2" },
        { type: "track", event: "Report Created", userId: "bob", messageId: "t-3" },
        { type: "track", event: "Report Created", userId: "carol", messageId: "t-4" },
      ],
    });
    expect(await json(res)).toMatchObject({ accepted: 4, rejected: [] });
    expect((await eventsOf("hooli")).map((e) => e.messageId)).toEqual(["t-1", "t-2"]);
    expect((await eventsOf("globex")).map((e) => e.messageId)).toEqual(["t-3"]);
    expect((await eventsOf("initech")).map((e) => e.messageId)).toEqual(["t-4"]);
    expect(await account("initech")).toMatchObject({ name: "Initech", plan: "Starter" });
    expect(await account("hooli")).toMatchObject({ name: "hooli" });
  });

  it("keeps a track call it cannot attribute yet, and attributes it when the link arrives", async () => {
    const waiting = () => count(data, "SELECT count(*) FROM pending_events WHERE user_id = 'dave'");
    const res = await send("batch", {
      batch: [
        { type: "track", event: "Report Created", userId: "dave", messageId: "p-1", timestamp: isoAgo(2 * DAY) },
        { type: "track", event: "Report Created", userId: "dave", messageId: "p-2", timestamp: isoAgo(HOUR) },
      ],
    });
    expect(await json(res)).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await waiting()).toBe(2);
    // A retry while it waits is a duplicate, not a second waiting event.
    expect(await json(await send("track", { event: "Report Created", userId: "dave", messageId: "p-1", timestamp: isoAgo(2 * DAY) }))).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });

    await send("group", { groupId: "umbrella", userId: "dave", traits: { name: "Umbrella" }, messageId: "g-umbrella" });
    expect(await waiting()).toBe(0);
    expect((await eventsOf("umbrella")).map((e) => e.messageId)).toEqual(["p-1", "p-2"]);
    expect(await scoreOf("umbrella")).toEqual({ score: 400, band: "low" });
    // And after the link, a retry is still a duplicate.
    expect(await json(await send("track", { event: "Report Created", userId: "dave", messageId: "p-2", timestamp: isoAgo(HOUR) }))).toMatchObject({
      duplicates: 1,
    });
  });

  it("attributes by anonymousId and follows alias", async () => {
    await send("track", { event: "Report Created", anonymousId: "anon-7", messageId: "an-1" });
    expect(await count(data, "SELECT count(*) FROM pending_events WHERE anonymous_id = 'anon-7'")).toBe(1);
    await send("group", { groupId: "stark", userId: "erin", traits: { name: "Stark" }, messageId: "g-stark" });
    await send("alias", { userId: "erin", previousId: "anon-7", messageId: "al-1" });
    expect((await eventsOf("stark")).map((e) => e.messageId)).toEqual(["an-1"]);
    await send("track", { event: "Report Created", anonymousId: "anon-7", messageId: "an-2" });
    expect((await eventsOf("stark")).map((e) => e.messageId)).toEqual(["an-1", "an-2"]);
  });

  it("registers unknown event types with weight 0, flagged new", async () => {
    await send("track", { event: "Dashboard Exported", context: { groupId: "acme" }, messageId: "new-type-1" });
    await send("track", { event: "dashboard_exported", context: { groupId: "acme" }, messageId: "new-type-2" });
    expect(await data.all(sql`SELECT key, label, weight_hundredths AS weight, is_new AS "isNew", active FROM event_types WHERE key = 'dashboard_exported'`)).toEqual([
      { key: "dashboard_exported", label: "Dashboard Exported", weight: 0, isNew: 1, active: 1 },
    ]);
    expect((await eventsOf("acme")).filter((e) => e.type === "dashboard_exported")).toHaveLength(2);
  });
});

describe("event time", () => {
  it("uses timestamp, else receivedAt − (sentAt − originalTimestamp), else the received time; always stores the received time", async () => {
    const now = Date.now();
    const before = Date.now();
    await send("batch", {
      sentAt: new Date(now - 10 * 60_000).toISOString(),
      batch: [
        { type: "track", event: "Report Created", context: { groupId: "time-co" }, messageId: "tm-1", timestamp: "2026-01-02T03:04:05.678Z" },
        // The device's clock is 10 minutes behind and the call was made 5 minutes before sending.
        { type: "track", event: "Report Created", context: { groupId: "time-co" }, messageId: "tm-2", originalTimestamp: new Date(now - 15 * 60_000).toISOString() },
        {
          type: "track",
          event: "Report Created",
          context: { groupId: "time-co" },
          messageId: "tm-3",
          originalTimestamp: new Date(now - 3 * 60_000).toISOString(),
          sentAt: new Date(now - 2 * 60_000).toISOString(),
        },
        { type: "track", event: "Report Created", context: { groupId: "time-co" }, messageId: "tm-4" },
      ],
    });
    const after = Date.now();
    const events = await eventsOf("time-co");
    const byId = new Map(events.map((e) => [e.messageId, e]));
    expect(byId.get("tm-1")?.occurredAt).toBe(Date.parse("2026-01-02T03:04:05.678Z"));
    expect(byId.get("tm-1")?.day).toBe(dayFromMs(Date.parse("2026-01-02T03:04:05.678Z")));
    for (const e of events) {
      expect(e.receivedAt).toBeGreaterThanOrEqual(before);
      expect(e.receivedAt).toBeLessThanOrEqual(after);
    }
    const received = byId.get("tm-2")?.receivedAt ?? 0;
    expect(byId.get("tm-2")?.occurredAt).toBe(received - 5 * 60_000);
    expect(byId.get("tm-3")?.occurredAt).toBe(received - 60_000);
    expect(byId.get("tm-4")?.occurredAt).toBe(received);
  });

  it("rejects unreadable and far-future times", async () => {
    const res = await send("batch", {
      batch: [
        { type: "track", event: "Report Created", context: { groupId: "time-co" }, messageId: "tm-bad-1", timestamp: "yesterday" },
        { type: "track", event: "Report Created", context: { groupId: "time-co" }, messageId: "tm-bad-2", timestamp: new Date(Date.now() + 3 * DAY).toISOString() },
      ],
    });
    expect((await json(res)).rejected).toEqual([
      { index: 0, messageId: "tm-bad-1", field: "timestamp", message: "must be an ISO-8601 date-time" },
      { index: 1, messageId: "tm-bad-2", field: "timestamp", message: "must not be more than a day in the future" },
    ]);
  });
});

describe("idempotency and atomicity", () => {
  it("acknowledges a repeated messageId without counting it again", async () => {
    const batch = {
      batch: [
        { type: "track", event: "Report Created", context: { groupId: "idem-co" }, messageId: "id-1", timestamp: isoAgo(HOUR) },
        { type: "track", event: "Report Created", context: { groupId: "idem-co" }, messageId: "id-2", timestamp: isoAgo(HOUR) },
      ],
    };
    expect(await json(await send("batch", batch))).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await json(await send("batch", batch))).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await eventsOf("idem-co")).toHaveLength(2);
    expect(await count(data, "SELECT sum(count) FROM daily_rollups r JOIN accounts a ON a.id = r.account_id WHERE a.external_id = 'idem-co'")).toBe(2);
    expect(await scoreOf("idem-co")).toEqual({ score: 400, band: "low" });
  });

  it("gives an event without a messageId an id derived from its content, so a retry is a duplicate", async () => {
    const message = { event: "Report Created", context: { groupId: "idem-co" }, timestamp: isoAgo(2 * HOUR) };
    expect(await json(await send("track", message))).toMatchObject({ accepted: 1 });
    expect(await json(await send("track", message))).toMatchObject({ accepted: 0, duplicates: 1 });
    const generated = (await eventsOf("idem-co")).at(-1)?.messageId ?? "";
    expect(generated).toMatch(/^gen-[A-Za-z0-9_-]{32}$/);
  });

  // SQLite's single writer: another connection holding the write lock. PostgreSQL writers do not lock each other out (test/ingest/two-servers.test.ts).
  it.skipIf(testDialect === "postgres")("answers 503 with Retry-After when another connection holds the write lock, storing nothing", async () => {
    if (!(data instanceof SqliteDb)) throw new Error("a SQLite test");
    const db = { sqlite: data.sqlite, file: data.file };
    const other = new BetterSqlite3(db.file);
    db.sqlite.pragma("busy_timeout = 0");
    other.exec("BEGIN IMMEDIATE");
    try {
      const res = await send("track", { event: "Report Created", context: { groupId: "busy-co" }, messageId: "busy-1" });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(await json(res)).toMatchObject({ success: false, error: { code: "database_busy" } });
    } finally {
      other.exec("ROLLBACK");
      other.close();
      db.sqlite.pragma("busy_timeout = 5000");
    }
    expect(await account("busy-co")).toBeUndefined();
    expect((await send("track", { event: "Report Created", context: { groupId: "busy-co" }, messageId: "busy-1" })).status).toBe(200);
  });
});

describe("scores after ingestion", () => {
  it("are current without a manual step and equal a full recompute", async () => {
    await send("batch", {
      batch: [
        { type: "group", groupId: "score-co", traits: { name: "Score Co" }, messageId: "sc-g" },
        ...Array.from({ length: 25 }, (_, i) => ({ type: "track", event: "Report Created", context: { groupId: "score-co" }, messageId: `sc-${i}`, timestamp: isoAgo(i * DAY + HOUR) })),
      ],
    });
    // 25 reports × 2 points over 25 days, all inside the 30-day window: 50 points.
    expect(await scoreOf("score-co")).toEqual({ score: 5000, band: "medium" });
    const scores = () => data.all(sql`SELECT * FROM account_scores ORDER BY account_id`);
    const histories = () => data.all(sql`SELECT account_id, scores FROM score_history ORDER BY account_id`);
    const incremental = await scores();
    const history = await histories();
    await recomputeScores(data, { asOfDay: todayDay() });
    expect(await scores()).toEqual(incremental);
    expect(await histories()).toEqual(history);
  });
});

describe("order of traits and repeated identify, group and alias calls", () => {
  const HOURS_AGO = (h: number) => isoAgo(h * HOUR);
  const linkOf = (userId: string) => data.value<string>(sql`SELECT a.external_id FROM user_links l JOIN accounts a ON a.id = l.account_id WHERE l.user_id = ${userId}`);

  it("keeps a newer plan when an older group call arrives late", async () => {
    await send("group", { groupId: "order-co", messageId: "ord-new", timestamp: HOURS_AGO(1), traits: { name: "Order Co", plan: "Enterprise" } });
    // Sent two hours ago from a device that was offline: it arrives after the newer call.
    const late = await send("group", { groupId: "order-co", messageId: "ord-old", timestamp: HOURS_AGO(2), traits: { plan: "Starter" } });
    expect(await json(late)).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await account("order-co")).toMatchObject({ name: "Order Co", plan: "Enterprise" });
  });

  it("judges each field on its own: an old call still sets what nothing newer has set", async () => {
    await send("group", { groupId: "field-co", messageId: "fld-new", timestamp: HOURS_AGO(1), traits: { plan: "Growth" } });
    await send("group", { groupId: "field-co", messageId: "fld-old", timestamp: HOURS_AGO(3), traits: { plan: "Starter", region: "EMEA", tags: ["old"] } });
    expect(await account("field-co")).toMatchObject({ plan: "Growth", region: "EMEA" });
    // A newer call wins over both; a null clears, and the time of the clearing counts too.
    await send("group", { groupId: "field-co", messageId: "fld-newest", timestamp: HOURS_AGO(0.5), traits: { region: null } });
    await send("group", { groupId: "field-co", messageId: "fld-older", timestamp: HOURS_AGO(2), traits: { region: "APAC", industry: "Retail" } });
    expect(await account("field-co")).toMatchObject({ plan: "Growth", region: null, industry: "Retail" });
    const times = JSON.parse(String((await account("field-co"))?.field_times)) as Record<string, number>;
    const sentAt = (h: number) => Date.parse(HOURS_AGO(h));
    expect(times.plan).toBeGreaterThanOrEqual(sentAt(1) - 1000);
    expect(times.region).toBeGreaterThan(times.plan ?? 0);
    expect(Object.keys(times).sort()).toEqual(["industry", "plan", "region", "tags"]);
  });

  it("applies company traits of identify calls by their time as well", async () => {
    await send("identify", { userId: "ord-ivy", messageId: "ord-i-new", timestamp: HOURS_AGO(1), traits: { company: { id: "ident-co", plan: "Pro", region: "NA" } } });
    await send("identify", { userId: "ord-ivy", messageId: "ord-i-old", timestamp: HOURS_AGO(5), traits: { company: { id: "ident-co", plan: "Free", industry: "Media" } } });
    expect(await account("ident-co")).toMatchObject({ plan: "Pro", region: "NA", industry: "Media" });
  });

  it("never moves a user back to an older account, and confirms a link said again", async () => {
    await send("identify", { userId: "mover", messageId: "mv-1", timestamp: HOURS_AGO(3), context: { groupId: "first-co" } });
    await send("identify", { userId: "mover", messageId: "mv-2", timestamp: HOURS_AGO(1), context: { groupId: "second-co" } });
    expect(await linkOf("mover")).toBe("second-co");
    // An old group call, delivered late, links nothing back.
    await send("group", { userId: "mover", groupId: "first-co", messageId: "mv-3", timestamp: HOURS_AGO(2) });
    expect(await linkOf("mover")).toBe("second-co");
    // A newer one moves the user.
    await send("group", { userId: "mover", groupId: "first-co", messageId: "mv-4", timestamp: HOURS_AGO(0.5) });
    expect(await linkOf("mover")).toBe("first-co");
    // The same link said again at a newer time protects it against messages between the two.
    await send("identify", { userId: "mover", messageId: "mv-5", timestamp: HOURS_AGO(0.1), context: { groupId: "first-co" } });
    await send("identify", { userId: "mover", messageId: "mv-6", timestamp: HOURS_AGO(0.3), context: { groupId: "second-co" } });
    expect(await linkOf("mover")).toBe("first-co");
    // Track calls follow the link.
    await send("track", { userId: "mover", event: "Report Created", messageId: "mv-track" });
    expect((await eventsOf("first-co")).map((e) => e.messageId)).toEqual(["mv-track"]);
  });

  it("stores a repeated group or identify messageId once and never applies it again", async () => {
    const at = HOURS_AGO(1);
    const first = { groupId: "repeat-co", userId: "rita", messageId: "rep-g1", timestamp: at, traits: { plan: "Starter", renewal_outcome: "renewed", renewal_outcome_date: "2026-01-31" } };
    expect(await json(await send("group", first))).toMatchObject({ accepted: 1, duplicates: 0 });
    // Another call of the same time: on a tie the later arrival wins.
    await send("group", { groupId: "repeat-co", messageId: "rep-g2", timestamp: at, traits: { plan: "Enterprise" } });
    expect(await account("repeat-co")).toMatchObject({ plan: "Enterprise" });
    // The SDK retries the first call: a duplicate, in a single call and inside a batch.
    expect(await json(await send("group", first))).toEqual({ success: true, accepted: 0, duplicates: 1, rejected: [] });
    expect(await json(await send("batch", { batch: [{ ...first, type: "group" }] }))).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await account("repeat-co")).toMatchObject({ plan: "Enterprise" });
    expect(await count(data, "SELECT count(*) FROM renewal_outcomes o JOIN accounts a ON a.id = o.account_id WHERE a.external_id = 'repeat-co'")).toBe(1);

    const identify = { userId: "rita", messageId: "rep-i1", timestamp: at, context: { groupId: "other-co" } };
    expect(await json(await send("identify", identify))).toMatchObject({ accepted: 1, duplicates: 0 });
    await send("group", { groupId: "repeat-co", userId: "rita", messageId: "rep-g3", timestamp: at });
    expect(await linkOf("rita")).toBe("repeat-co");
    expect(await json(await send("identify", identify))).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await linkOf("rita")).toBe("repeat-co");
    expect(await count(data, "SELECT count(*) FROM applied_messages WHERE message_id IN ('rep-g1', 'rep-i1')")).toBe(2);
  });

  it("counts a repeated identify without a company and a repeated alias as duplicates", async () => {
    const plain = { userId: "nobody", messageId: "rep-plain", traits: { email: "n@example.com" } };
    expect(await json(await send("identify", plain))).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await json(await send("identify", plain))).toMatchObject({ accepted: 0, duplicates: 1 });
    const alias = { userId: "nobody", previousId: "anon-nobody", messageId: "rep-alias" };
    expect(await json(await send("alias", alias))).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await json(await send("alias", alias))).toMatchObject({ accepted: 0, duplicates: 1 });
    // A repeat inside one batch is a duplicate too, and an identify without a messageId gets one from its content.
    const noId = { type: "identify", userId: "nobody", traits: { name: "No Body" }, timestamp: HOURS_AGO(1) };
    expect(await json(await send("batch", { batch: [noId, noId] }))).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it("takes a message from a clock that runs ahead as of its arrival, so it cannot lock a field", async () => {
    await send("group", { groupId: "clock-co", messageId: "clk-ahead", timestamp: isoAgo(-12 * HOUR), traits: { plan: "Future" } });
    await send("group", { groupId: "clock-co", messageId: "clk-now", traits: { plan: "Present" } });
    expect(await account("clock-co")).toMatchObject({ plan: "Present" });
  });

  it("rejects an identify, group or alias call with an unreadable time, naming the field", async () => {
    const res = await send("batch", {
      batch: [
        { type: "group", groupId: "bad-time-co", messageId: "bt-1", timestamp: "last tuesday", traits: { plan: "X" } },
        { type: "identify", userId: "bt-user", messageId: "bt-2", originalTimestamp: "soon", context: { groupId: "bad-time-co" } },
        { type: "alias", userId: "bt-user", previousId: "bt-anon", messageId: "bt-3", timestamp: new Date(Date.now() + 3 * DAY).toISOString() },
      ],
    });
    expect((await json(res)).rejected).toEqual([
      { index: 0, messageId: "bt-1", field: "timestamp", message: "must be an ISO-8601 date-time" },
      { index: 1, messageId: "bt-2", field: "originalTimestamp", message: "must be an ISO-8601 date-time" },
      { index: 2, messageId: "bt-3", field: "timestamp", message: "must not be more than a day in the future" },
    ]);
    expect(await account("bad-time-co")).toBeUndefined();
  });
});
