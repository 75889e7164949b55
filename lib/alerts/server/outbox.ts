import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { MAX_ATTEMPTS, retryDelayMs, shouldRetry } from "../backoff";
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

export interface ClaimedMessage {
  id: number;
  messageId: string;
  channel: OutboxChannel;
  target: string;
  eventType: string;
  payload: string;
  attempts: number;
}

export interface ClaimParams {
  owner: string;
  now: number;
  /** How long the claim holds: longer than one delivery attempt can take. */
  leaseMs: number;
  /** At most this many messages in flight per destination (a dead endpoint holds only these). */
  perTarget: number;
  limit: number;
}

/**
 * Claims due messages for this worker. At most `perTarget` messages per destination are in
 * flight at once, counting those other workers hold: an endpoint that times out ties up a few
 * slots, never the whole queue. The outer conditions repeat the inner ones so that two
 * workers racing for the same row cannot both win it (PostgreSQL re-checks them on the locked row).
 */
export async function claimDue(db: Db, params: ClaimParams): Promise<ClaimedMessage[]> {
  const { owner, now, leaseMs, perTarget, limit } = params;
  return db.all<ClaimedMessage>(sql`
    UPDATE outbox SET lease_owner = ${owner}, lease_until = ${now + leaseMs}
    WHERE id IN (
      SELECT id FROM (
        SELECT o.id, o.next_attempt_at,
          ROW_NUMBER() OVER (PARTITION BY o.channel, o.target ORDER BY o.next_attempt_at, o.id) AS rn,
          coalesce(f.n, 0) AS in_flight
        FROM outbox o
        LEFT JOIN (
          SELECT channel, target, count(*) AS n FROM outbox WHERE status = 'pending' AND lease_until >= ${now} GROUP BY channel, target
        ) f ON f.channel = o.channel AND f.target = o.target
        WHERE o.status = 'pending' AND o.next_attempt_at <= ${now} AND (o.lease_until IS NULL OR o.lease_until < ${now})
      ) due
      WHERE due.rn + due.in_flight <= ${perTarget}
      ORDER BY due.next_attempt_at, due.id
      LIMIT ${limit}
    )
    AND status = 'pending' AND (lease_until IS NULL OR lease_until < ${now})
    RETURNING id, message_id AS "messageId", channel, target, event_type AS "eventType", payload, attempts`);
}

/** How long delivered and failed messages (with their attempts) stay in the delivery log. */
export const KEEP_DELIVERED_DAYS = 30;
export const KEEP_FAILED_DAYS = 90;

/** Forgets old deliveries (their attempts go with them), so the log and the queue stay small. */
export async function pruneOutbox(db: Db, params: { now: number }): Promise<number> {
  const day = 86_400_000;
  const ids = await db.all<{ id: number }>(sql`SELECT id FROM outbox
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

export interface DeliveryLogEntry {
  id: number;
  messageId: string;
  eventType: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  lastAttemptAt: number | null;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
}

export interface DeliveryLogPage {
  entries: DeliveryLogEntry[];
  total: number;
}

/** A destination's deliveries, newest first. */
export async function deliveryLog(db: Db, params: { channel: OutboxChannel; target: string; limit: number; offset: number; status?: "pending" | "delivered" | "failed" }): Promise<DeliveryLogPage> {
  const status = params.status ? sql` AND status = ${params.status}` : sql``;
  const rows = await db.all<Omit<DeliveryLogEntry, "maxAttempts">>(sql`
    SELECT id, message_id AS "messageId", event_type AS "eventType", status, attempts, created_at AS "createdAt",
      last_attempt_at AS "lastAttemptAt", CASE WHEN status = 'pending' THEN next_attempt_at ELSE NULL END AS "nextAttemptAt",
      delivered_at AS "deliveredAt", last_status_code AS "lastStatusCode", last_error AS "lastError"
    FROM outbox WHERE channel = ${params.channel} AND target = ${params.target}${status}
    ORDER BY created_at DESC, id DESC LIMIT ${params.limit} OFFSET ${params.offset}`);
  const total = (await db.value<number>(sql`SELECT count(*) FROM outbox WHERE channel = ${params.channel} AND target = ${params.target}${status}`)) ?? 0;
  return { entries: rows.map((r) => ({ ...r, maxAttempts: MAX_ATTEMPTS })), total };
}

export interface AttemptLogEntry {
  attempt: number;
  at: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

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

/** How many messages wait (for the worker's idle check). */
export async function pendingCount(db: Db): Promise<number> {
  return (await db.value<number>(sql`SELECT count(*) FROM outbox WHERE status = 'pending'`)) ?? 0;
}
