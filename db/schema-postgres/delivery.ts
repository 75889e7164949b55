import { bigint, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { millis } from "./columns";

/** PostgreSQL twin of db/schema/delivery.ts (see there for what each column means). */
export const outbox = pgTable(
  "outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    messageId: text("message_id").notNull(),
    channel: text("channel", { enum: ["webhook", "slack", "email"] }).notNull(),
    target: text("target").notNull(),
    eventType: text("event_type").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    nextAttemptAt: millis("next_attempt_at").notNull(),
    leaseUntil: millis("lease_until"),
    leaseOwner: text("lease_owner"),
    lastAttemptAt: millis("last_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: millis("created_at").notNull(),
    deliveredAt: millis("delivered_at"),
  },
  (t) => [
    uniqueIndex("outbox_message_uq").on(t.channel, t.target, t.messageId),
    index("outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("outbox_target_idx").on(t.channel, t.target, t.createdAt),
  ],
);

export const outboxAttempts = pgTable(
  "outbox_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    outboxId: bigint("outbox_id", { mode: "number" })
      .notNull()
      .references(() => outbox.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: millis("at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    responseExcerpt: text("response_excerpt"),
  },
  (t) => [index("outbox_attempts_outbox_idx").on(t.outboxId, t.attempt)],
);

export const alertSettings = pgTable("alert_settings", {
  id: integer("id").primaryKey(),
  smtpHost: text("smtp_host"),
  smtpPort: integer("smtp_port").notNull(),
  smtpSecurity: text("smtp_security").notNull(),
  smtpUsername: text("smtp_username"),
  smtpPassword: text("smtp_password"),
  fromAddress: text("from_address"),
  digestHourUtc: integer("digest_hour_utc").notNull(),
  updatedAt: millis("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

export const emailPreferences = pgTable("email_preferences", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  digest: integer("digest").notNull(),
  immediate: integer("immediate").notNull(),
  unsubscribeToken: text("unsubscribe_token").notNull().unique(),
  updatedAt: millis("updated_at").notNull(),
});

export const deliveryCircuits = pgTable(
  "delivery_circuits",
  {
    channel: text("channel").notNull(),
    target: text("target").notNull(),
    consecutiveFailures: integer("consecutive_failures").notNull(),
    pauses: integer("pauses").notNull(),
    pausedUntil: millis("paused_until"),
    reason: text("reason"),
    updatedAt: millis("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.target] })],
);

export const alertJobRuns = pgTable(
  "alert_job_runs",
  {
    job: text("job").notNull(),
    period: text("period").notNull(),
    owner: text("owner").notNull(),
    leaseUntil: millis("lease_until").notNull(),
    finishedAt: millis("finished_at"),
    result: text("result"),
  },
  (t) => [primaryKey({ columns: [t.job, t.period] })],
);

export const apiTokens = pgTable("api_tokens", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  label: text("label").notNull(),
  prefix: text("prefix").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  scopes: text("scopes").notNull(),
  createdAt: millis("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  lastUsedAt: millis("last_used_at"),
  revokedAt: millis("revoked_at"),
  revokedBy: text("revoked_by"),
});
