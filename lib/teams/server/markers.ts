import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import type { MarkerInput } from "@/lib/teams/markers";
import type { MarkerSummary } from "@/lib/teams/types";
import { recordAudit, type AuditActor } from "@/lib/operations/server/audit";

/** A change marker as the views show it. */
type MarkerRow = Columns<typeof schema.changeMarkers, "id" | "date" | "title" | "description">;

const NEWEST_FIRST = "SELECT id, date, title, description FROM change_markers ORDER BY date DESC, id DESC";

/** Change markers, newest first. */
export async function listChangeMarkers(db: Db): Promise<MarkerSummary[]> {
  return db.all<MarkerRow>(sql.raw(NEWEST_FIRST));
}

export interface ChangeMarkerParams {
  id: number;
}

export async function getChangeMarker(db: Db, params: ChangeMarkerParams): Promise<MarkerSummary | null> {
  return (await db.get<MarkerRow>(sql`SELECT id, date, title, description FROM change_markers WHERE id = ${params.id}`)) ?? null;
}

export interface CreateChangeMarkerParams {
  actor: AuditActor;
  input: MarkerInput;
}

export async function createChangeMarker(db: Db, params: CreateChangeMarkerParams): Promise<MarkerSummary> {
  const { actor, input } = params;
  return db.transaction(async (tx) => {
    const id = await tx.value<Column<typeof schema.changeMarkers, "id">>(
      sql`INSERT INTO change_markers (date, title, description) VALUES (${input.date}, ${input.title}, ${input.description}) RETURNING id`,
    );
    if (id === undefined) throw new Error("INSERT … RETURNING id returned no row");
    await recordAudit(tx, actor, { action: "marker.create", target: `change_marker:${id}`, details: { ...input } });
    return { id, ...input };
  });
}

export interface UpdateChangeMarkerParams {
  actor: AuditActor;
  id: number;
  input: MarkerInput;
}

/** Null when there is no such marker. */
export async function updateChangeMarker(db: Db, params: UpdateChangeMarkerParams): Promise<MarkerSummary | null> {
  const { actor, id, input } = params;
  return db.transaction(async (tx) => {
    const before = await getChangeMarker(tx, { id });
    if (!before) return null;
    await tx.run(sql`UPDATE change_markers SET date = ${input.date}, title = ${input.title}, description = ${input.description} WHERE id = ${id}`);
    await recordAudit(tx, actor, {
      action: "marker.update",
      target: `change_marker:${id}`,
      details: { before: { date: before.date, title: before.title, description: before.description }, after: { ...input } },
    });
    return { id, ...input };
  });
}

export interface DeleteChangeMarkerParams {
  actor: AuditActor;
  id: number;
}

/** False when there is no such marker. */
export async function deleteChangeMarker(db: Db, params: DeleteChangeMarkerParams): Promise<boolean> {
  const { actor, id } = params;
  return db.transaction(async (tx) => {
    const before = await getChangeMarker(tx, { id });
    if (!before) return false;
    await tx.run(sql`DELETE FROM change_markers WHERE id = ${id}`);
    await recordAudit(tx, actor, { action: "marker.delete", target: `change_marker:${id}`, details: { date: before.date, title: before.title } });
    return true;
  });
}
