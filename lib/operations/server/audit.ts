import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";

export interface AuditActor {
  id: string;
  name: string;
}

export interface AuditRecord {
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

/**
 * Appends an entry to the audit log. Call it with the `tx` of the change itself, so the entry
 * commits or rolls back with it.
 */
export async function recordAudit(db: Db, actor: AuditActor, record: AuditRecord): Promise<void> {
  await db.run(sql`INSERT INTO audit_log (actor_id, actor_name, action, target, details)
    VALUES (${actor.id}, ${actor.name}, ${record.action}, ${record.target ?? ""}, ${JSON.stringify(record.details ?? {})})`);
}

/**
 * The same, on the legacy synchronous connection: only for modules not yet on the data layer
 * (scoring configuration, CSV import), whose transactions are better-sqlite3 ones.
 */
export function recordAuditSync(db: Database, actor: AuditActor, record: AuditRecord): void {
  db.sqlite
    .prepare("INSERT INTO audit_log (actor_id, actor_name, action, target, details) VALUES (?, ?, ?, ?, ?)")
    .run(actor.id, actor.name, record.action, record.target ?? "", JSON.stringify(record.details ?? {}));
}

export interface AuditListEntry {
  id: number;
  /** Milliseconds since the epoch. */
  at: number;
  actorId: string;
  actorName: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditListEntry[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export interface AuditPageParams {
  /** 1-based; pages past the end come back empty with the real page count. */
  page: number;
  pageSize: number;
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { raw: text };
  }
}

/** An audit row as raw SQL reads it: `at` in ms, `details` as JSON text. */
type AuditRow = Columns<typeof schema.auditLog, "id" | "at" | "actorId" | "actorName" | "action" | "target" | "details">;

/** The audit log, newest first. */
export async function listAuditLog(db: Db, params: AuditPageParams): Promise<AuditPage> {
  const total = (await db.value<number>(sql`SELECT count(*) FROM audit_log`)) ?? 0;
  const rows = await db.all<AuditRow>(sql`SELECT id, at, actor_id AS "actorId", actor_name AS "actorName", action, target, details
    FROM audit_log ORDER BY at DESC, id DESC LIMIT ${params.pageSize} OFFSET ${(params.page - 1) * params.pageSize}`);
  return {
    entries: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorId: r.actorId,
      actorName: r.actorName,
      action: r.action,
      target: r.target,
      details: parseDetails(r.details),
    })),
    total,
    page: params.page,
    pageSize: params.pageSize,
    pageCount: Math.max(1, Math.ceil(total / params.pageSize)),
  };
}

/**
 * recordAudit on the data layer's interface (db/client.ts): call it with the transaction of
 * the change itself.
 */
export async function appendAudit(db: Db, actor: AuditActor, record: AuditRecord): Promise<void> {
  await db.run(
    sql`INSERT INTO audit_log (actor_id, actor_name, action, target, details) VALUES (${actor.id}, ${actor.name}, ${record.action}, ${record.target ?? ""}, ${JSON.stringify(record.details ?? {})})`,
  );
}
