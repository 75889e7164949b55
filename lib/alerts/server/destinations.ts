import "server-only";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns, NotNull } from "@/db/rows";
import type * as schema from "@/db/schema";
import { slackTextMessage, webhookEnvelope } from "../messages";
import { redactedUrl } from "../outbound";
import { parseIdList, parseStringList } from "../rules";
import { randomId, recordAuditEntry, type Actor } from "./common";
import { enqueue } from "./outbox";

/**
 * Slack incoming webhooks and signed webhook endpoints. URLs and signing secrets are secrets:
 * lists show a shortened URL; an admin reads a webhook's secret on purpose (to set up the
 * receiver), never in a list.
 */
export const DESTINATION_KINDS = ["webhook", "slack"] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** Events a destination may receive besides the alerts of the rules that name it. */
export const DESTINATION_EVENTS = ["scores.changed", "configuration.changed"] as const;
export type DestinationEvent = (typeof DESTINATION_EVENTS)[number];

export type DestinationRow = Columns<
  typeof schema.alertDestinations,
  "id" | "kind" | "name" | "url" | "secret" | "events" | "enabled" | "createdAt" | "createdBy"
>;

/** Per destination (outbox.target is its id as text): messages by status, and the last delivery. */
type DeliveryStatsRow = Columns<typeof schema.outbox, "target"> & { pending: number; failed: number; delivered: number; lastDeliveredAt: number | null };

/** Per destination: its latest failed attempt. */
type LastErrorRow = NotNull<Columns<typeof schema.outbox, "target" | "lastError" | "lastAttemptAt">, "lastError" | "lastAttemptAt">;

export interface Destination {
  id: number;
  kind: DestinationKind;
  name: string;
  url: string;
  secret: string | null;
  events: DestinationEvent[];
  enabled: boolean;
}

export interface DestinationSummary {
  id: number;
  kind: DestinationKind;
  name: string;
  /** The URL without its secret parts. */
  urlShown: string;
  events: DestinationEvent[];
  enabled: boolean;
  createdAt: number;
  createdBy: string;
  pending: number;
  failed: number;
  delivered: number;
  lastDeliveredAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

const COLUMNS = sql`id, kind, name, url, secret, events, enabled, created_at AS "createdAt", created_by AS "createdBy"`;

function eventsOf(row: DestinationRow): DestinationEvent[] {
  return parseStringList(row.events, `alert_destinations.events of ${row.id}`).filter((e): e is DestinationEvent =>
    (DESTINATION_EVENTS as readonly string[]).includes(e),
  );
}

export function toDestination(row: DestinationRow): Destination {
  return { id: row.id, kind: row.kind, name: row.name, url: row.url, secret: row.secret, events: eventsOf(row), enabled: row.enabled === 1 };
}

/** A new Standard Webhooks signing secret: "whsec_" + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export async function getDestination(db: Db, params: { id: number }): Promise<Destination | null> {
  const row = await db.get<DestinationRow>(sql`SELECT ${COLUMNS} FROM alert_destinations WHERE id = ${params.id}`);
  return row ? toDestination(row) : null;
}

/** Destinations by id (for delivering). */
export async function destinationsById(db: Db): Promise<Map<number, Destination>> {
  const rows = await db.all<DestinationRow>(sql`SELECT ${COLUMNS} FROM alert_destinations`);
  return new Map(rows.map((r) => [r.id, toDestination(r)]));
}

/** Every destination with its delivery figures, Slack first, then by name. */
export async function listDestinations(db: Db): Promise<DestinationSummary[]> {
  const rows = await db.all<DestinationRow>(sql`SELECT ${COLUMNS} FROM alert_destinations ORDER BY kind DESC, name, id`);
  const stats = await db.all<DeliveryStatsRow>(sql`
    SELECT target,
      sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
      sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed,
      sum(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS delivered,
      max(delivered_at) AS "lastDeliveredAt"
    FROM outbox WHERE channel IN ('webhook', 'slack') GROUP BY target`);
  const errors = await db.all<LastErrorRow>(sql`
    SELECT o.target, o.last_error AS "lastError", o.last_attempt_at AS "lastAttemptAt" FROM outbox o
    WHERE o.channel IN ('webhook', 'slack') AND o.last_error IS NOT NULL AND o.last_attempt_at = (
      SELECT max(o2.last_attempt_at) FROM outbox o2 WHERE o2.channel = o.channel AND o2.target = o.target AND o2.last_error IS NOT NULL)`);
  const statsBy = new Map(stats.map((s) => [s.target, s]));
  const errorBy = new Map(errors.map((e) => [e.target, e]));
  return rows.map((row) => {
    const s = statsBy.get(String(row.id));
    const e = errorBy.get(String(row.id));
    const lastDeliveredAt = s?.lastDeliveredAt ?? null;
    // An error older than the last success is history, not the endpoint's state.
    const current = e && (lastDeliveredAt === null || e.lastAttemptAt > lastDeliveredAt) ? e : undefined;
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      urlShown: redactedUrl(row.url),
      events: eventsOf(row),
      enabled: row.enabled === 1,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      pending: s?.pending ?? 0,
      failed: s?.failed ?? 0,
      delivered: s?.delivered ?? 0,
      lastDeliveredAt,
      lastError: current?.lastError ?? null,
      lastErrorAt: current?.lastAttemptAt ?? null,
    };
  });
}

export interface CreateDestinationParams {
  actor: Actor;
  kind: DestinationKind;
  name: string;
  url: string;
  events: DestinationEvent[];
}

/** Creates a destination; a webhook gets its signing secret, returned here once more for the receiver's setup. */
export async function createDestination(db: Db, params: CreateDestinationParams): Promise<{ id: number; secret: string | null }> {
  const secret = params.kind === "webhook" ? generateWebhookSecret() : null;
  return db.transaction(async (tx) => {
    const id = await tx.value<Column<typeof schema.alertDestinations, "id">>(sql`INSERT INTO alert_destinations (kind, name, url, secret, events, enabled, created_at, created_by)
      VALUES (${params.kind}, ${params.name}, ${params.url}, ${secret}, ${JSON.stringify(params.events)}, 1, ${Date.now()}, ${params.actor.name})
      RETURNING id`);
    if (id === undefined) throw new Error("INSERT … RETURNING id returned nothing");
    await recordAuditEntry(tx, params.actor, {
      action: "alerts.destination.create",
      target: `alert_destination:${id}`,
      details: { kind: params.kind, name: params.name, url: redactedUrl(params.url), events: params.events },
    });
    return { id, secret };
  });
}

export interface UpdateDestinationParams {
  actor: Actor;
  id: number;
  name: string;
  /** Absent: keep the URL (it is never sent back to the browser in full). */
  url?: string;
  events: DestinationEvent[];
  enabled: boolean;
}

export async function updateDestination(db: Db, params: UpdateDestinationParams): Promise<boolean> {
  return db.transaction(async (tx) => {
    const result = await tx.run(sql`UPDATE alert_destinations SET name = ${params.name}, events = ${JSON.stringify(params.events)},
        enabled = ${params.enabled ? 1 : 0}${params.url === undefined ? sql`` : sql`, url = ${params.url}`}
      WHERE id = ${params.id}`);
    if (result.rowsAffected === 0) return false;
    await recordAuditEntry(tx, params.actor, {
      action: "alerts.destination.update",
      target: `alert_destination:${params.id}`,
      details: { name: params.name, events: params.events, enabled: params.enabled, urlChanged: params.url !== undefined },
    });
    return true;
  });
}

/** A new signing secret; deliveries from now on are signed with it. */
export async function rotateWebhookSecret(db: Db, params: { actor: Actor; id: number }): Promise<string | null> {
  const secret = generateWebhookSecret();
  return db.transaction(async (tx) => {
    const result = await tx.run(sql`UPDATE alert_destinations SET secret = ${secret} WHERE id = ${params.id} AND kind = 'webhook'`);
    if (result.rowsAffected === 0) return null;
    await recordAuditEntry(tx, params.actor, { action: "alerts.destination.rotate_secret", target: `alert_destination:${params.id}` });
    return secret;
  });
}

/**
 * Deletes a destination: rules stop naming it and its undelivered messages are marked failed
 * (the delivery log keeps them). False when there is no such destination.
 */
export async function deleteDestination(db: Db, params: { actor: Actor; id: number }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const row = await tx.get<DestinationRow>(sql`SELECT ${COLUMNS} FROM alert_destinations WHERE id = ${params.id}`);
    if (!row) return false;
    const rules = await tx.all<Columns<typeof schema.alertRules, "kind" | "destinationIds">>(sql`SELECT kind, destination_ids AS "destinationIds" FROM alert_rules`);
    for (const rule of rules) {
      const ids = parseIdList(rule.destinationIds);
      if (ids.includes(params.id)) {
        await tx.run(sql`UPDATE alert_rules SET destination_ids = ${JSON.stringify(ids.filter((i) => i !== params.id))} WHERE kind = ${rule.kind}`);
      }
    }
    await tx.run(sql`UPDATE outbox SET status = 'failed', last_error = 'The destination was deleted.', lease_until = NULL
      WHERE channel = ${row.kind} AND target = ${String(params.id)} AND status = 'pending'`);
    await tx.run(sql`DELETE FROM delivery_circuits WHERE channel = ${row.kind} AND target = ${String(params.id)}`);
    await tx.run(sql`DELETE FROM alert_destinations WHERE id = ${params.id}`);
    await recordAuditEntry(tx, params.actor, { action: "alerts.destination.delete", target: `alert_destination:${params.id}`, details: { name: row.name, kind: row.kind } });
    return true;
  });
}

/** Queues a test message to a destination (it shows in the delivery log like any other). */
export async function queueTestMessage(db: Db, params: { destination: Destination; actor: Actor; appUrl: string }): Promise<string> {
  const now = Date.now();
  const messageId = randomId("test");
  const { destination } = params;
  const text = `Test message for “${destination.name}”, sent by ${params.actor.name} from the engagement dashboard.`;
  const payload =
    destination.kind === "webhook"
      ? webhookEnvelope("webhook.test", now, { id: messageId, destination: destination.name, message: text })
      : slackTextMessage("Test message from the engagement dashboard", text, `${params.appUrl}/admin/alerts`);
  await enqueue(db, { messageId, channel: destination.kind, target: String(destination.id), eventType: "webhook.test", payload: JSON.stringify(payload), now });
  return messageId;
}
