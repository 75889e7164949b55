import "server-only";
import type { Database } from "@/db";

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
