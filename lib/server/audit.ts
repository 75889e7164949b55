import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import type { Db } from "@/db/client";

export interface AuditActor {
  id: string;
  name: string;
}

export interface AuditRecord {
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

/** Appends an entry to the audit log. Call it inside the transaction of the change itself. */
export function recordAudit(db: Database, actor: AuditActor, record: AuditRecord): void {
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

/** The audit log, newest first. */
export function listAuditLog(db: Database, params: AuditPageParams): AuditPage {
  const total = db.sqlite.prepare("SELECT count(*) FROM audit_log").pluck().get() as number;
  const rows = db.sqlite
    .prepare("SELECT id, at, actor_id, actor_name, action, target, details FROM audit_log ORDER BY at DESC, id DESC LIMIT ? OFFSET ?")
    .all(params.pageSize, (params.page - 1) * params.pageSize) as {
    id: number;
    at: number;
    actor_id: string;
    actor_name: string;
    action: string;
    target: string;
    details: string;
  }[];
  return {
    entries: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
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
