import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { MAX_RESPONSE_EXCERPT_BYTES } from "@/lib/alerts/outbound";
import { createDestination, getDestination } from "@/lib/alerts/server/destinations";
import { Dispatcher } from "@/lib/alerts/server/dispatcher";
import { attemptsOf, CIRCUIT_FAILURES, claimDue, deliveryLog, endpointCircuit, enqueue, pruneOutbox, redeliver, resumeEndpoint } from "@/lib/alerts/server/outbox";
import { createTestDb } from "@/test/db";
import { ADMIN, count, startReceiver, type Receiver } from "./helpers";

/**
 * Delivering the outbox to real HTTP receivers: Standard Webhooks signatures verified by the
 * receiver with the `standardwebhooks` library, retries with back-off, a dead endpoint that
 * never holds up the others, manual redelivery under the same id, and bounded requests.
 */
let db: Db;
let cleanup: () => Promise<void>;
let receiver: Receiver;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await cleanup();
});

async function webhook(path: string, name = path): Promise<number> {
  return (await createDestination(db, { actor: ADMIN, kind: "webhook", name, url: `${receiver.url}${path}`, events: [] })).id;
}

async function queue(target: number, messageId: string, channel: "webhook" | "slack" = "webhook", payload: unknown = { type: "alert.fired", timestamp: new Date().toISOString(), data: { n: messageId } }): Promise<void> {
  await enqueue(db, { messageId, channel, target: String(target), eventType: "alert.fired", payload: JSON.stringify(payload), now: Date.now() });
}

function dispatcher(options: { timeoutMs?: number; perTarget?: number; allowInsecure?: boolean } = {}): Dispatcher {
  return new Dispatcher(db, { owner: "test-worker", timeoutMs: options.timeoutMs ?? 5_000, perTarget: options.perTarget, policy: { allowInsecure: options.allowInsecure ?? true, allowPrivateNetworks: true } });
}

describe("webhook delivery", () => {
  it("is signed per Standard Webhooks: the receiver verifies it with the endpoint's secret", async () => {
    const id = await webhook("/signed");
    await queue(id, "alrt_signed1");
    await dispatcher().runOnce();
    const [request] = await receiver.waitFor("/signed", 1);
    const destination = await getDestination(db, { id });
    expect(destination?.secret).toMatch(/^whsec_/);
    expect(request?.headers["webhook-id"]).toBe("alrt_signed1");
    const verified = new Webhook(destination?.secret ?? "").verify(request?.body ?? "", {
      "webhook-id": String(request?.headers["webhook-id"]),
      "webhook-timestamp": String(request?.headers["webhook-timestamp"]),
      "webhook-signature": String(request?.headers["webhook-signature"]),
    });
    expect(verified).toMatchObject({ type: "alert.fired", data: { n: "alrt_signed1" } });
    // Another secret does not verify: the signature is real.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(request?.body ?? "", request?.headers as Record<string, string>)).toThrow();
    const log = await deliveryLog(db, { channel: "webhook", target: String(id), limit: 10, offset: 0 });
    expect(log.entries).toEqual([expect.objectContaining({ messageId: "alrt_signed1", status: "delivered", attempts: 1, lastStatusCode: 200 })]);
  });

  it("retries a failing receiver with back-off under the same id, and logs why each attempt failed", async () => {
    const id = await webhook("/flaky");
    let calls = 0;
    receiver.respond("/flaky", (_req, res) => {
      calls++;
      if (calls < 3) res.writeHead(503, { "content-type": "text/plain" }).end("down for maintenance");
      else res.writeHead(204).end();
    });
    await queue(id, "alrt_flaky1");
    const d = dispatcher();
    await d.runOnce();
    let row = await db.get<{ status: string; attempts: number; nextAttemptAt: number; lastError: string }>(sql`SELECT status, attempts,
      next_attempt_at AS "nextAttemptAt", last_error AS "lastError" FROM outbox WHERE message_id = 'alrt_flaky1'`);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "The receiver answered 503 Service Unavailable." });
    const firstWait = (row?.nextAttemptAt ?? 0) - Date.now();
    expect(firstWait).toBeGreaterThan(3_000);
    expect(firstWait).toBeLessThan(6_100);
    // Not due yet: nothing is sent.
    expect(await d.runOnce()).toBe(0);
    // Later (the dispatcher is told the time), the second attempt fails and waits longer.
    await d.runOnce(Date.now() + 6_100);
    row = await db.get(sql`SELECT status, attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError" FROM outbox WHERE message_id = 'alrt_flaky1'`);
    expect(row?.attempts).toBe(2);
    expect((row?.nextAttemptAt ?? 0) - Date.now()).toBeGreaterThan(11_000);
    await d.runOnce(Date.now() + 60_000);
    row = await db.get(sql`SELECT status, attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError" FROM outbox WHERE message_id = 'alrt_flaky1'`);
    expect(row).toMatchObject({ status: "delivered", attempts: 3, lastError: null });
    const received = receiver.requests.filter((r) => r.path === "/flaky");
    expect(received.map((r) => r.headers["webhook-id"])).toEqual(["alrt_flaky1", "alrt_flaky1", "alrt_flaky1"]);
    const outboxId = await count(db, sql`SELECT id FROM outbox WHERE message_id = 'alrt_flaky1'`);
    const attempts = (await attemptsOf(db, { outboxId, channel: "webhook", target: String(id) })) ?? [];
    expect(attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [3, 204],
      [2, 503],
      [1, 503],
    ]);
    expect(attempts[2]?.responseExcerpt).toBe("down for maintenance");
  });

  it("a dead endpoint never holds up another one", async () => {
    const dead = await webhook("/dead");
    const alive = await webhook("/alive");
    receiver.respond("/dead", () => "hang");
    for (let i = 0; i < 5; i++) await queue(dead, `alrt_dead${i}`);
    await queue(alive, "alrt_alive1");
    const d = dispatcher({ timeoutMs: 1_500, perTarget: 2 });
    await d.tick();
    // While the dead endpoint's requests hang, the live one is delivered.
    await receiver.waitFor("/alive", 1);
    await expect.poll(async () => count(db, sql`SELECT count(*) FROM outbox WHERE message_id = 'alrt_alive1' AND status = 'delivered'`)).toBe(1);
    // Only two of the dead endpoint's messages are in flight; the others wait their turn.
    expect(d.busy).toBeLessThanOrEqual(2);
    await d.drain();
    const dead0 = await db.all<{ attempts: number; lastError: string | null }>(sql`SELECT attempts, last_error AS "lastError" FROM outbox WHERE target = ${String(dead)} AND attempts > 0`);
    expect(dead0).toHaveLength(2);
    for (const row of dead0) expect(row.lastError).toMatch(/^No answer within 1.5 s from http:\/\/127\.0\.0\.1:\d+\/dead\.$/);
    // The dead endpoint's queue is this test's own: the next tests start without it.
    await db.run(sql`DELETE FROM outbox WHERE target = ${String(dead)}`);
  });

  it("can be redelivered by an admin under the same id", async () => {
    const id = await webhook("/redeliver");
    await queue(id, "alrt_again1");
    const d = dispatcher();
    await d.runOnce();
    const outboxId = await count(db, sql`SELECT id FROM outbox WHERE message_id = 'alrt_again1'`);
    expect(await redeliver(db, { actor: ADMIN, outboxId, channel: "webhook", target: String(id) })).toBe(true);
    // A pending message cannot be redelivered twice over.
    expect(await redeliver(db, { actor: ADMIN, outboxId, channel: "webhook", target: String(id) })).toBe(false);
    await d.runOnce();
    const received = await receiver.waitFor("/redeliver", 2);
    expect(received.map((r) => r.headers["webhook-id"])).toEqual(["alrt_again1", "alrt_again1"]);
    expect(await count(db, sql`SELECT count(*) FROM audit_log WHERE action = 'alerts.delivery.redeliver'`)).toBe(1);
  });

  it("keeps outbound requests bounded: no plain http unless allowed, no redirects, a short read of the answer", async () => {
    const plain = await webhook("/plain");
    await queue(plain, "alrt_plain1");
    await dispatcher({ allowInsecure: false }).runOnce();
    const refused = await db.get<{ status: string; lastError: string }>(sql`SELECT status, last_error AS "lastError" FROM outbox WHERE message_id = 'alrt_plain1'`);
    expect(refused).toEqual({ status: "failed", lastError: "The URL must use https:// (plain http is allowed only when the server sets ALERTS_ALLOW_HTTP=true)." });
    expect(receiver.requests.some((r) => r.path === "/plain")).toBe(false);

    const moved = await webhook("/moved");
    receiver.respond("/moved", (_req, res) => {
      res.writeHead(301, { location: `${receiver.url}/elsewhere` }).end();
    });
    await queue(moved, "alrt_moved1");
    await dispatcher().runOnce();
    const redirected = await db.get<{ lastError: string; lastStatusCode: number }>(sql`SELECT last_error AS "lastError", last_status_code AS "lastStatusCode" FROM outbox WHERE message_id = 'alrt_moved1'`);
    expect(redirected?.lastStatusCode).toBe(301);
    expect(redirected?.lastError).toContain("redirects are not followed");
    expect(receiver.requests.some((r) => r.path === "/elsewhere")).toBe(false);

    const chatty = await webhook("/chatty");
    receiver.respond("/chatty", (_req, res) => {
      res.writeHead(500).end("x".repeat(1_000_000));
    });
    await queue(chatty, "alrt_chatty1");
    await dispatcher().runOnce();
    const outboxId = await count(db, sql`SELECT id FROM outbox WHERE message_id = 'alrt_chatty1'`);
    const [attempt] = (await attemptsOf(db, { outboxId, channel: "webhook", target: String(chatty) })) ?? [];
    expect(await attemptsOf(db, { outboxId, channel: "webhook", target: String(moved) })).toBeNull();
    expect(attempt?.responseExcerpt?.length).toBe(MAX_RESPONSE_EXCERPT_BYTES);
  });
});

describe("claiming due messages", () => {
  it("claims the oldest first, or the newest first for an alert that just fired behind a backlog; the two orders never claim a message twice", async () => {
    const target = await webhook("/claim-order");
    const now = Date.now();
    for (let i = 0; i < 20; i++) {
      await enqueue(db, { messageId: `alrt_backlog_${i}`, channel: "webhook", target: String(target), eventType: "alert.fired", payload: "{}", now: now - 60_000 + i * 1000 });
    }
    await enqueue(db, { messageId: "alrt_just_fired", channel: "webhook", target: String(target), eventType: "alert.fired", payload: "{}", now });
    const claim = (newestFirst: boolean) =>
      claimDue(db, { owner: `claimer-${String(newestFirst)}`, now, leaseMs: 60_000, perTarget: 2, limit: 10, newestFirst }).then((rows) => rows.map((r) => r.messageId).sort());
    expect(await claim(true)).toEqual(["alrt_backlog_19", "alrt_just_fired"]);
    // Two in flight for that endpoint already: nothing more until they are done.
    expect(await claim(false)).toEqual([]);
    await db.run(sql`UPDATE outbox SET status = 'delivered', lease_until = NULL, lease_owner = NULL WHERE target = ${String(target)} AND lease_owner IS NOT NULL`);
    expect(await claim(false)).toEqual(["alrt_backlog_0", "alrt_backlog_1"]);
  });
});

describe("Slack delivery", () => {
  it("posts the message as it is to the incoming webhook", async () => {
    const slack = (await createDestination(db, { actor: ADMIN, kind: "slack", name: "#cs", url: `${receiver.url}/slack/T000/B000/XXXX`, events: [] })).id;
    await queue(slack, "alrt_slack1", "slack", { text: "Acme dropped from Medium to Low", blocks: [] });
    await dispatcher().runOnce();
    const [request] = await receiver.waitFor("/slack/T000/B000/XXXX", 1);
    expect(JSON.parse(request?.body ?? "{}")).toEqual({ text: "Acme dropped from Medium to Low", blocks: [] });
    expect(request?.headers["webhook-signature"]).toBeUndefined();
  });
});

describe("the delivery log", () => {
  it("forgets delivered messages after 30 days and failed ones after 90, with their attempts", async () => {
    const day = 86_400_000;
    const now = Date.now();
    const target = (await createDestination(db, { actor: ADMIN, kind: "webhook", name: "old", url: `${receiver.url}/old`, events: [] })).id;
    const rows: [string, string, number][] = [
      ["alrt_old_delivered", "delivered", now - 31 * day],
      ["alrt_new_delivered", "delivered", now - 29 * day],
      ["alrt_old_failed", "failed", now - 91 * day],
      ["alrt_new_failed", "failed", now - 60 * day],
      ["alrt_old_pending", "pending", now - 200 * day],
    ];
    for (const [id, status, at] of rows) {
      await db.run(sql`INSERT INTO outbox (message_id, channel, target, event_type, payload, status, attempts, next_attempt_at, last_attempt_at, delivered_at, created_at)
        VALUES (${id}, 'webhook', ${String(target)}, 'alert.fired', '{}', ${status}, 1, ${at}, ${at}, ${status === "delivered" ? at : null}, ${at})`);
      const outboxId = await count(db, sql`SELECT id FROM outbox WHERE message_id = ${id}`);
      await db.run(sql`INSERT INTO outbox_attempts (outbox_id, attempt, at, duration_ms) VALUES (${outboxId}, 1, ${at}, 5)`);
    }
    expect(await pruneOutbox(db, { now })).toBe(2);
    const left = await db.all<{ messageId: string }>(sql`SELECT message_id AS "messageId" FROM outbox WHERE target = ${String(target)} ORDER BY message_id`);
    expect(left.map((r) => r.messageId)).toEqual(["alrt_new_delivered", "alrt_new_failed", "alrt_old_pending"]);
    expect(await count(db, sql`SELECT count(*) FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id WHERE o.target = ${String(target)}`)).toBe(3);
    expect(await count(db, sql`SELECT count(*) FROM outbox_attempts WHERE outbox_id NOT IN (SELECT id FROM outbox)`)).toBe(0);
  });
});

describe("per-endpoint circuit breaking", () => {
  it(`pauses an endpoint after ${CIRCUIT_FAILURES} failures in a row: its deliveries wait without spending attempts, others go on, then one probe goes alone`, async () => {
    const dead = await webhook("/circuit-dead");
    const healthy = await webhook("/circuit-ok");
    let down = true;
    receiver.respond("/circuit-dead", (_req, res) => {
      if (down) res.writeHead(503, { "content-type": "text/plain" }).end("maintenance");
      else res.writeHead(204).end();
    });
    for (let i = 0; i < CIRCUIT_FAILURES; i++) await queue(dead, `alrt_cb_${i}`);
    await queue(dead, "alrt_cb_waiting");
    const d = dispatcher({ perTarget: CIRCUIT_FAILURES });
    const attemptsOfDead = async () =>
      db.all<{ messageId: string; attempts: number }>(sql`SELECT message_id AS "messageId", attempts FROM outbox WHERE target = ${String(dead)} ORDER BY id`);
    // Five deliveries fail together (the sixth waits for a slot): the endpoint is paused for a minute.
    await d.runOnce();
    expect((await attemptsOfDead()).map((m) => m.attempts)).toEqual([1, 1, 1, 1, 1, 0]);
    const circuit = await endpointCircuit(db, { channel: "webhook", target: String(dead) });
    expect(circuit).toMatchObject({ consecutiveFailures: CIRCUIT_FAILURES, probing: false, reason: "The receiver answered 503 Service Unavailable." });
    expect((circuit?.pausedUntil ?? 0) - Date.now()).toBeGreaterThan(50_000);
    expect((circuit?.pausedUntil ?? 0) - Date.now()).toBeLessThanOrEqual(60_000);

    // While paused nothing is claimed for it, not even its due message, while another endpoint delivers.
    await queue(healthy, "alrt_cb_other");
    await db.run(sql`UPDATE outbox SET next_attempt_at = ${Date.now()} WHERE target = ${String(dead)} AND status = 'pending'`);
    await d.runOnce(Date.now() + 30_000);
    expect((await attemptsOfDead()).map((m) => m.attempts)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(await db.value(sql`SELECT status FROM outbox WHERE message_id = 'alrt_cb_other'`)).toBe("delivered");
    expect(await db.get(sql`SELECT status, attempts FROM outbox WHERE message_id = 'alrt_cb_waiting'`)).toEqual({ status: "pending", attempts: 0 });

    // After the pause one delivery probes it; it fails, so the endpoint pauses again, for two minutes.
    // (The minute passes: the pause is moved into the past.)
    await db.run(sql`UPDATE delivery_circuits SET paused_until = ${Date.now() - 1} WHERE target = ${String(dead)}`);
    await db.run(sql`UPDATE outbox SET next_attempt_at = ${Date.now()} WHERE target = ${String(dead)} AND status = 'pending'`);
    expect(await endpointCircuit(db, { channel: "webhook", target: String(dead) })).toMatchObject({ pausedUntil: null, probing: true });
    await d.runOnce();
    expect((await attemptsOfDead()).reduce((sum, m) => sum + m.attempts, 0)).toBe(CIRCUIT_FAILURES + 1);
    const again = await endpointCircuit(db, { channel: "webhook", target: String(dead) });
    expect((again?.pausedUntil ?? 0) - Date.now()).toBeGreaterThan(110_000);

    // The receiver is back: the admin resumes it, a probe succeeds, and the rest go out together.
    down = false;
    expect(await resumeEndpoint(db, { actor: ADMIN, channel: "webhook", target: String(dead) })).toBe(true);
    expect(await endpointCircuit(db, { channel: "webhook", target: String(dead) })).toMatchObject({ pausedUntil: null, probing: true });
    await db.run(sql`UPDATE outbox SET next_attempt_at = ${Date.now()} WHERE target = ${String(dead)} AND status = 'pending'`);
    await d.runOnce();
    expect(await db.value(sql`SELECT count(*) FROM outbox WHERE target = ${String(dead)} AND status = 'delivered'`)).toBe(1);
    expect(await endpointCircuit(db, { channel: "webhook", target: String(dead) })).toBeNull();
    await d.runOnce();
    expect(await db.value(sql`SELECT count(*) FROM outbox WHERE message_id LIKE 'alrt_cb_%' AND status = 'delivered'`)).toBe(CIRCUIT_FAILURES + 2);
    expect(await db.value(sql`SELECT count(*) FROM audit_log WHERE action = 'alerts.destination.resume'`)).toBe(1);
  });
});
