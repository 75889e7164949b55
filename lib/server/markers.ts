import "server-only";
import type { Database } from "@/db";
import type { MarkerInput } from "@/lib/teams/markers";
import type { MarkerSummary } from "@/lib/teams/types";
import { recordAudit, type AuditActor } from "./audit";

/** Change markers, newest first. */
export function listChangeMarkers(db: Database): MarkerSummary[] {
  return db.sqlite
    .prepare("SELECT id, date, title, description FROM change_markers ORDER BY date DESC, id DESC")
    .all() as MarkerSummary[];
}

export function getChangeMarker(db: Database, id: number): MarkerSummary | null {
  return (db.sqlite.prepare("SELECT id, date, title, description FROM change_markers WHERE id = ?").get(id) as MarkerSummary | undefined) ?? null;
}

export function createChangeMarker(db: Database, actor: AuditActor, input: MarkerInput): MarkerSummary {
  return db.sqlite.transaction(() => {
    const id = db.sqlite
      .prepare("INSERT INTO change_markers (date, title, description) VALUES (?, ?, ?) RETURNING id")
      .pluck()
      .get(input.date, input.title, input.description) as number;
    recordAudit(db, actor, { action: "marker.create", target: `change_marker:${id}`, details: { ...input } });
    return { id, ...input };
  })();
}

/** Null when there is no such marker. */
export function updateChangeMarker(db: Database, actor: AuditActor, id: number, input: MarkerInput): MarkerSummary | null {
  return db.sqlite.transaction(() => {
    const before = getChangeMarker(db, id);
    if (!before) return null;
    db.sqlite.prepare("UPDATE change_markers SET date = ?, title = ?, description = ? WHERE id = ?").run(input.date, input.title, input.description, id);
    recordAudit(db, actor, {
      action: "marker.update",
      target: `change_marker:${id}`,
      details: { before: { date: before.date, title: before.title, description: before.description }, after: { ...input } },
    });
    return { id, ...input };
  })();
}

/** False when there is no such marker. */
export function deleteChangeMarker(db: Database, actor: AuditActor, id: number): boolean {
  return db.sqlite.transaction(() => {
    const before = getChangeMarker(db, id);
    if (!before) return false;
    db.sqlite.prepare("DELETE FROM change_markers WHERE id = ?").run(id);
    recordAudit(db, actor, { action: "marker.delete", target: `change_marker:${id}`, details: { date: before.date, title: before.title } });
    return true;
  })();
}
