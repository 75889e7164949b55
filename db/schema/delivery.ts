import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./auth";

/**
 * Delivery of alerts, digests and events (docs/adr/0016-alerts-outbox-and-read-api.md): the
 * outbox survives restarts, every attempt is logged, and the read API's tokens.
 */

/**
 * Messages to send, written in the same transaction as what caused them. Delivered at least
 * once; `message_id` is the stable id a receiver deduplicates on, unique per channel and target.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    messageId: text("message_id").notNull(),
    channel: text("channel", { enum: ["webhook", "slack", "email"] }).notNull(),
    /** webhook/slack: the destination id; email: the recipient's user id. */
    target: text("target").notNull(),
    eventType: text("event_type").notNull(),
    /** JSON: the body (webhook, Slack) or the rendered message (email). */
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    /** While a worker delivers it: until when the row is its (a crashed worker's lease runs out). */
    leaseUntil: integer("lease_until"),
    leaseOwner: text("lease_owner"),
    lastAttemptAt: integer("last_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    /** Why the last attempt failed, in words an admin can act on. */
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [
    uniqueIndex("outbox_message_uq").on(t.channel, t.target, t.messageId),
    index("outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("outbox_target_idx").on(t.channel, t.target, t.createdAt),
  ],
);

/**
 * Per-endpoint circuit breaking: consecutive failures of one destination (channel and target,
 * as in the outbox). After a run of failures the endpoint is paused until `paused_until`: its
 * deliveries wait (no attempt is spent) while every other endpoint goes on; then one delivery
 * probes it, and a failure pauses it again for longer. A success removes the row.
 */
export const deliveryCircuits = sqliteTable(
  "delivery_circuits",
  {
    channel: text("channel").notNull(),
    target: text("target").notNull(),
    consecutiveFailures: integer("consecutive_failures").notNull(),
    /** How many times in a row the endpoint was paused (the next pause is longer); >0: the next delivery is a lone probe. */
    pauses: integer("pauses").notNull(),
    pausedUntil: integer("paused_until"),
    /** The failure that paused it, in words. */
    reason: text("reason"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.target] })],
);

/** Every delivery attempt: when, how long, the answer, and why it failed. */
export const outboxAttempts = sqliteTable(
  "outbox_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    outboxId: integer("outbox_id")
      .notNull()
      .references(() => outbox.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: integer("at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    /** The first bytes of the response body. */
    responseExcerpt: text("response_excerpt"),
  },
  (t) => [index("outbox_attempts_outbox_idx").on(t.outboxId, t.attempt)],
);

/** Email (SMTP) and digest settings: one row (id 1). The password is never sent back to the browser. */
export const alertSettings = sqliteTable("alert_settings", {
  id: integer("id").primaryKey(),
  smtpHost: text("smtp_host"),
  smtpPort: integer("smtp_port").notNull(),
  /** "starttls" (required), "tls" (implicit, port 465) or "none" (only where plain connections are allowed). */
  smtpSecurity: text("smtp_security").notNull(),
  smtpUsername: text("smtp_username"),
  smtpPassword: text("smtp_password"),
  fromAddress: text("from_address"),
  /** The UTC hour the daily digest goes out. */
  digestHourUtc: integer("digest_hour_utc").notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

/** What each person receives by email; the token makes their unsubscribe link. */
export const emailPreferences = sqliteTable("email_preferences", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  digest: integer("digest").notNull(),
  immediate: integer("immediate").notNull(),
  unsubscribeToken: text("unsubscribe_token").notNull().unique(),
  updatedAt: integer("updated_at").notNull(),
});

/** Jobs that run once per period across every app server (a lease per job and period). */
export const alertJobRuns = sqliteTable(
  "alert_job_runs",
  {
    job: text("job").notNull(),
    period: text("period").notNull(),
    owner: text("owner").notNull(),
    leaseUntil: integer("lease_until").notNull(),
    finishedAt: integer("finished_at"),
    /** JSON: what the run did. */
    result: text("result"),
  },
  (t) => [primaryKey({ columns: [t.job, t.period] })],
);

/**
 * Read-only API tokens for CRMs and BI tools (GET /api/v1/accounts/{id}/score, /api/v1/scores):
 * separate from write keys, with scopes, stored as a SHA-256 hash, revocable.
 */
export const apiTokens = sqliteTable("api_tokens", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  label: text("label").notNull(),
  prefix: text("prefix").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  /** JSON array of scopes, e.g. ["scores:read"]. */
  scopes: text("scopes").notNull(),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  lastUsedAt: integer("last_used_at"),
  revokedAt: integer("revoked_at"),
  revokedBy: text("revoked_by"),
});
