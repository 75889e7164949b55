import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { circuitPauseMs, CIRCUIT_FAILURES, MAX_ATTEMPTS, opensCircuit, retryDelayMs, shouldRetry } from "../backoff";
import { recordAuditEntry, type Actor } from "./common";

/**
 * The outbox (docs/adr/0016-alerts-outbox-and-read-api.md): messages are written in the
 * transaction of what caused them, claimed by one worker at a time with a lease, delivered at
 * least once under their stable message id, retried with back-off, and every attempt is logged.
 */
export type OutboxChannel = "webhook" | "slack" | "email";

export interface EnqueueParams {
  messageId: string;
  channel: OutboxChannel;
  target: string;
  eventType: string;
  payload: string;
  now: number;
}

/** Adds a message; a message already queued for the same channel and target (same id) is kept, not repeated. True when added. */
export async function enqueue(db: Db, params: EnqueueParams): Promise<boolean> {
  const result = await db.run(sql`INSERT INTO outbox (message_id, channel, target, event_type, payload, status, attempts, next_attempt_at, created_at)
    VALUES (${params.messageId}, ${params.channel}, ${params.target}, ${params.eventType}, ${params.payload}, 'pending', 0, ${params.now}, ${params.now})
    ON CONFLICT (channel, target, message_id) DO NOTHING`);
  return result.rowsAffected > 0;
}

export type ClaimedMessage = Columns<typeof schema.outbox, "id" | "messageId" | "channel" | "target" | "eventType" | "payload" | "attempts">;

export interface ClaimParams {
  owner: string;
  now: number;
  /** How long the claim holds: longer than one delivery attempt can take. */
  leaseMs: number;
  /** At most this many messages in flight per destination (a dead endpoint holds only these). */
  perTarget: number;
  limit: number;
  /** Claim the most recently due first (a fresh alert before a backlog); default oldest first. */
  newestFirst?: boolean;
}

/**
 * Claims due messages for this worker. At most `perTarget` messages per destination are in
 * flight at once, counting those other workers hold: an endpoint that times out ties up a few
 * slots, never the whole queue. A paused endpoint (delivery_circuits) gets none until its pause
 * ends, then one at a time until a delivery succeeds. The outer conditions repeat the inner ones
 * so that two workers racing for the same row cannot both win it (PostgreSQL re-checks them on
 * the locked row). The dispatcher alternates oldest-first and newest-first claims: an alert that
 * just fired goes out within a claim or two even behind a backlog, and the backlog still moves.
 */
export async function claimDue(db: Db, params: ClaimParams): Promise<ClaimedMessage[]> {
  const { owner, now, leaseMs, perTarget, limit } = params;
  const direction = sql.raw(params.newestFirst ? "DESC" : "ASC");
  return db.all<ClaimedMessage>(sql`
    UPDATE outbox SET lease_owner = ${owner}, lease_until = ${now + leaseMs}
    WHERE id IN (
      SELECT id FROM (
        SELECT o.id, o.next_attempt_at,
          ROW_NUMBER() OVER (PARTITION BY o.channel, o.target ORDER BY o.next_attempt_at ${direction}, o.id ${direction}) AS rn,
          coalesce(f.n, 0) AS in_flight,
          CASE WHEN c.pauses > 0 THEN 1 ELSE ${perTarget} END AS slots
        FROM outbox o
        LEFT JOIN (
          SELECT channel, target, count(*) AS n FROM outbox WHERE status = 'pending' AND lease_until >= ${now} GROUP BY channel, target
        ) f ON f.channel = o.channel AND f.target = o.target
        LEFT JOIN delivery_circuits c ON c.channel = o.channel AND c.target = o.target
        WHERE o.status = 'pending' AND o.next_attempt_at <= ${now} AND (o.lease_until IS NULL OR o.lease_until < ${now})
          AND (c.paused_until IS NULL OR c.paused_until <= ${now})
      ) due
      WHERE due.rn + due.in_flight <= due.slots
      ORDER BY due.next_attempt_at ${direction}, due.id ${direction}
      LIMIT ${limit}
    )
    AND status = 'pending' AND (lease_until IS NULL OR lease_until < ${now})
    AND NOT EXISTS (SELECT 1 FROM delivery_circuits c WHERE c.channel = outbox.channel AND c.target = outbox.target AND c.paused_until > ${now})
    RETURNING id, message_id AS "messageId", channel, target, event_type AS "eventType", payload, attempts`);
}

/** How long delivered and failed messages (with their attempts) stay in the delivery log. */
export const KEEP_DELIVERED_DAYS = 30;
export const KEEP_FAILED_DAYS = 90;

/** Forgets old deliveries (their attempts go with them), so the log and the queue stay small. */
export async function pruneOutbox(db: Db, params: { now: number }): Promise<number> {
  const day = 86_400_000;
  const ids = await db.all<Columns<typeof schema.outbox, "id">>(sql`SELECT id FROM outbox
    WHERE (status = 'delivered' AND delivered_at < ${params.now - KEEP_DELIVERED_DAYS * day})
       OR (status = 'failed' AND last_attempt_at < ${params.now - KEEP_FAILED_DAYS * day})
    LIMIT 10000`);
  if (ids.length === 0) return 0;
  const list = sql.join(
    ids.map((r) => sql`${r.id}`),
    sql`, `,
  );
  await db.transaction(async (tx) => {
    await tx.run(sql`DELETE FROM outbox_attempts WHERE outbox_id IN (${list})`);
    await tx.run(sql`DELETE FROM outbox WHERE id IN (${list})`);
  });
  return ids.length;
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  /** Why it failed, for the admin: null on success. */
  error: string | null;
  responseExcerpt: string | null;
  durationMs: number;
  /** The receiver's Retry-After, in ms. */
  retryAfterMs: number | null;
  /** A failure no retry can fix (the payload is too large, the destination is gone). */
  permanent?: boolean;
}

/**
 * Records an attempt and moves the message on: delivered, retried later with back-off, or
 * failed after the last attempt. Only the worker holding the lease moves a pending message.
 */
export async function recordAttempt(db: Db, params: { message: ClaimedMessage; owner: string; result: AttemptResult; now: number; random?: number }): Promise<void> {
  const { message, result, now } = params;
  const attempt = message.attempts + 1;
  await db.transaction(async (tx) => {
    await tx.run(sql`INSERT INTO outbox_attempts (outbox_id, attempt, at, duration_ms, status_code, error, response_excerpt)
      VALUES (${message.id}, ${attempt}, ${now}, ${result.durationMs}, ${result.statusCode}, ${result.error}, ${result.responseExcerpt})`);
    const mine = sql`id = ${message.id} AND status = 'pending' AND lease_owner = ${params.owner}`;
    if (message.channel !== "email" && !result.permanent) await recordEndpointOutcome(tx, { channel: message.channel, target: message.target, result, now });
    if (result.ok) {
      await tx.run(sql`UPDATE outbox SET status = 'delivered', attempts = ${attempt}, delivered_at = ${now}, last_attempt_at = ${now},
          last_status_code = ${result.statusCode}, last_error = NULL, lease_until = NULL, lease_owner = NULL WHERE ${mine}`);
      return;
    }
    const retry = !result.permanent && shouldRetry(attempt);
    const next = retry ? now + retryDelayMs(attempt, params.random ?? Math.random(), result.retryAfterMs) : now;
    await tx.run(sql`UPDATE outbox SET status = ${retry ? "pending" : "failed"}, attempts = ${attempt}, next_attempt_at = ${next},
        last_attempt_at = ${now}, last_status_code = ${result.statusCode}, last_error = ${result.error}, lease_until = NULL, lease_owner = NULL
      WHERE ${mine}`);
  });
}

/** A delivery as stored; `nextAttemptAt` only while it is pending. */
type DeliveryLogRow = Columns<
  typeof schema.outbox,
  "id" | "messageId" | "eventType" | "status" | "attempts" | "createdAt" | "lastAttemptAt" | "deliveredAt" | "lastStatusCode" | "lastError"
> & { nextAttemptAt: Column<typeof schema.outbox, "nextAttemptAt"> | null };

export type DeliveryLogEntry = DeliveryLogRow & { maxAttempts: number };

export interface DeliveryLogPage {
  entries: DeliveryLogEntry[];
  total: number;
}

/** A destination's deliveries, newest first. */
export async function deliveryLog(db: Db, params: { channel: OutboxChannel; target: string; limit: number; offset: number; status?: "pending" | "delivered" | "failed" }): Promise<DeliveryLogPage> {
  const status = params.status ? sql` AND status = ${params.status}` : sql``;
  const rows = await db.all<DeliveryLogRow>(sql`
    SELECT id, message_id AS "messageId", event_type AS "eventType", status, attempts, created_at AS "createdAt",
      last_attempt_at AS "lastAttemptAt", CASE WHEN status = 'pending' THEN next_attempt_at ELSE NULL END AS "nextAttemptAt",
      delivered_at AS "deliveredAt", last_status_code AS "lastStatusCode", last_error AS "lastError"
    FROM outbox WHERE channel = ${params.channel} AND target = ${params.target}${status}
    ORDER BY created_at DESC, id DESC LIMIT ${params.limit} OFFSET ${params.offset}`);
  const total = (await db.value<number>(sql`SELECT count(*) FROM outbox WHERE channel = ${params.channel} AND target = ${params.target}${status}`)) ?? 0;
  return { entries: rows.map((r) => ({ ...r, maxAttempts: MAX_ATTEMPTS })), total };
}

export type AttemptLogEntry = Columns<typeof schema.outboxAttempts, "attempt" | "at" | "durationMs" | "statusCode" | "error" | "responseExcerpt">;

/** One delivery's attempts, newest first; null when it is not a delivery of that channel and target. */
export async function attemptsOf(db: Db, params: { outboxId: number; channel: OutboxChannel; target: string }): Promise<AttemptLogEntry[] | null> {
  const mine = await db.value<number>(sql`SELECT 1 FROM outbox WHERE id = ${params.outboxId} AND channel = ${params.channel} AND target = ${params.target}`);
  if (mine !== 1) return null;
  return db.all<AttemptLogEntry>(sql`SELECT attempt, at, duration_ms AS "durationMs", status_code AS "statusCode", error,
      response_excerpt AS "responseExcerpt"
    FROM outbox_attempts WHERE outbox_id = ${params.outboxId} ORDER BY attempt DESC, id DESC LIMIT 50`);
}

/**
 * Sends a message again under the same id (the receiver can tell it is a repeat): a failed or
 * delivered message goes back to pending with a fresh set of attempts. False when there is no
 * such message for that destination or it is pending already.
 */
export async function redeliver(db: Db, params: { actor: Actor; outboxId: number; channel: OutboxChannel; target: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const now = Date.now();
    const result = await tx.run(sql`UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ${now}, lease_until = NULL, lease_owner = NULL
      WHERE id = ${params.outboxId} AND channel = ${params.channel} AND target = ${params.target} AND status <> 'pending'`);
    if (result.rowsAffected === 0) return false;
    await recordAuditEntry(tx, params.actor, { action: "alerts.delivery.redeliver", target: `outbox:${params.outboxId}`, details: { channel: params.channel, destination: params.target } });
    return true;
  });
}

/**
 * Keeps an endpoint's run of failures (webhooks and Slack; an email's endpoint is the SMTP
 * server, whose failures every recipient shares, so it is not paused per recipient). A success
 * closes the circuit; a failure that ends a run of CIRCUIT_FAILURES, or the probe after a pause,
 * pauses the endpoint for longer each time. Failures of the message itself (too large, a
 * deleted destination) say nothing about the endpoint and are not counted.
 */
async function recordEndpointOutcome(tx: Db, params: { channel: OutboxChannel; target: string; result: AttemptResult; now: number }): Promise<void> {
  const { channel, target, result, now } = params;
  if (result.ok) {
    await tx.run(sql`DELETE FROM delivery_circuits WHERE channel = ${channel} AND target = ${target}`);
    return;
  }
  const circuit = await tx.get<Columns<typeof schema.deliveryCircuits, "consecutiveFailures" | "pauses" | "pausedUntil">>(sql`
    INSERT INTO delivery_circuits (channel, target, consecutive_failures, pauses, paused_until, reason, updated_at)
    VALUES (${channel}, ${target}, 1, 0, NULL, ${result.error}, ${now})
    ON CONFLICT (channel, target) DO UPDATE SET consecutive_failures = delivery_circuits.consecutive_failures + 1, reason = excluded.reason, updated_at = excluded.updated_at
    RETURNING consecutive_failures AS "consecutiveFailures", pauses, paused_until AS "pausedUntil"`);
  if (!circuit || !opensCircuit(circuit.consecutiveFailures, circuit.pauses)) return;
  // A delivery that was in flight when another one paused the endpoint does not pause it again.
  if (circuit.pausedUntil !== null && circuit.pausedUntil > now) return;
  const pauses = circuit.pauses + 1;
  await tx.run(sql`UPDATE delivery_circuits SET pauses = ${pauses}, paused_until = ${now + circuitPauseMs(pauses)}
    WHERE channel = ${channel} AND target = ${target}`);
}

export interface EndpointCircuit {
  consecutiveFailures: number;
  /** Until when deliveries to the endpoint wait; null when it is not paused now. */
  pausedUntil: number | null;
  /** Whether the next delivery is a lone probe after a pause. */
  probing: boolean;
  reason: string | null;
}

/** The endpoint's circuit, or null when its last delivery succeeded (or none failed). */
export async function endpointCircuit(db: Db, params: { channel: OutboxChannel; target: string; now?: number }): Promise<EndpointCircuit | null> {
  const row = await db.get<Columns<typeof schema.deliveryCircuits, "consecutiveFailures" | "pauses" | "pausedUntil" | "reason">>(sql`
    SELECT consecutive_failures AS "consecutiveFailures", pauses, paused_until AS "pausedUntil", reason FROM delivery_circuits
    WHERE channel = ${params.channel} AND target = ${params.target}`);
  if (!row) return null;
  const now = params.now ?? Date.now();
  const paused = row.pausedUntil !== null && row.pausedUntil > now;
  return { consecutiveFailures: row.consecutiveFailures, pausedUntil: paused ? row.pausedUntil : null, probing: !paused && row.pauses > 0, reason: row.reason };
}

/** Ends an endpoint's pause now (an admin fixed the receiver): its waiting deliveries go out, the first one alone. */
export async function resumeEndpoint(db: Db, params: { actor: Actor; channel: OutboxChannel; target: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const now = Date.now();
    const result = await tx.run(sql`UPDATE delivery_circuits SET paused_until = ${now}, updated_at = ${now}
      WHERE channel = ${params.channel} AND target = ${params.target} AND paused_until > ${now}`);
    if (result.rowsAffected === 0) return false;
    await recordAuditEntry(tx, params.actor, { action: "alerts.destination.resume", target: `${params.channel}:${params.target}`, details: {} });
    return true;
  });
}

export { CIRCUIT_FAILURES };

/** How many messages wait (for the worker's idle check). */
export async function pendingCount(db: Db): Promise<number> {
  return (await db.value<number>(sql`SELECT count(*) FROM outbox WHERE status = 'pending'`)) ?? 0;
}
