import "server-only";
import { z } from "zod";
import { displayLine, displayText, safeIdentifier } from "@/lib/text-safety";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { eventTypeKey } from "../event-types";
import { recordAudit, type AuditActor } from "@/lib/operations/server/audit";
import { HttpError } from "@/lib/http/server/http";

export const newEventTypeSchema = z.object({
  // Stored as the key incoming names are matched by ("Report Created" → report_created).
  key: z
    .string()
    .trim()
    .min(1, "The key is required")
    .max(100, "The key may have at most 100 characters")
    .pipe(safeIdentifier)
    .transform((key, ctx) => {
      const normalized = eventTypeKey(key);
      if (normalized === null) {
        ctx.addIssue({ code: "custom", message: "The key must contain a letter or a digit" });
        return z.NEVER;
      }
      return normalized;
    }),
  label: displayLine.pipe(z.string().trim().min(1, "The label is required").max(100, "The label may have at most 100 characters")),
  description: displayText.pipe(z.string().trim().max(500, "The description may have at most 500 characters")).default(""),
});
export type NewEventTypeInput = z.infer<typeof newEventTypeSchema>;

export const eventTypePatchSchema = z
  .object({
    label: z.string().trim().min(1, "The label is required").max(100, "The label may have at most 100 characters"),
    description: z.string().trim().max(500, "The description may have at most 500 characters"),
  })
  .partial();
export type EventTypePatch = z.infer<typeof eventTypePatchSchema>;

/** An event type's names, as the admin sees them. */
type TypeNames = Pick<typeof schema.eventTypes.$inferSelect, "key" | "label">;

export interface CreateEventTypeParams {
  actor: AuditActor;
  input: NewEventTypeInput;
}

/** Adds an event type with weight 0: its weight is set through a saved, previewed configuration. */
export async function createEventType(db: Db, params: CreateEventTypeParams): Promise<number> {
  const { actor, input } = params;
  return db.transaction(async (tx) => {
    const exists = await tx.value<number>(sql`SELECT 1 FROM event_types WHERE key = ${input.key}`);
    if (exists !== undefined) throw new HttpError(409, "duplicate_key", `An event type with the key "${input.key}" already exists.`, "key");
    const mapped = await tx.value<Column<typeof schema.eventTypes, "label">>(
      sql`SELECT t.label FROM event_type_aliases a JOIN event_types t ON t.id = a.type_id WHERE a.name_key = ${input.key}`,
    );
    if (mapped !== undefined) throw new HttpError(409, "duplicate_key", `Events named "${input.key}" already count for "${mapped}" (an admin mapped the name).`, "key");
    const id = await tx.value<Column<typeof schema.eventTypes, "id">>(
      sql`INSERT INTO event_types (key, label, description, weight_hundredths, active, is_new)
        VALUES (${input.key}, ${input.label}, ${input.description}, 0, 1, 0) RETURNING id`,
    );
    if (id === undefined) throw new Error("INSERT … RETURNING id returned no row");
    await recordAudit(tx, actor, { action: "event_type.create", target: `event_type:${id}`, details: input });
    return id;
  });
}

export interface UpdateEventTypeParams {
  actor: AuditActor;
  id: number;
  patch: EventTypePatch;
}

/** Renames or re-describes an event type (not scoring: no new configuration version). */
export async function updateEventType(db: Db, params: UpdateEventTypeParams): Promise<void> {
  const { actor, id, patch } = params;
  await db.transaction(async (tx) => {
    const before = await tx.get<Pick<typeof schema.eventTypes.$inferSelect, "label" | "description">>(sql`SELECT label, description FROM event_types WHERE id = ${id}`);
    if (!before) throw new HttpError(404, "not_found", `There is no event type ${id}.`);
    const label = patch.label ?? before.label;
    const description = patch.description ?? before.description;
    await tx.run(sql`UPDATE event_types SET label = ${label}, description = ${description} WHERE id = ${id}`);
    await recordAudit(tx, actor, { action: "event_type.update", target: `event_type:${id}`, details: { before, after: { label, description } } });
  });
}

export interface DeleteEventTypeParams {
  actor: AuditActor;
  id: number;
}

/** Deletes an event type that never had an event; one with events can only be deactivated. */
export async function deleteEventType(db: Db, params: DeleteEventTypeParams): Promise<void> {
  const { actor, id } = params;
  await db.transaction(async (tx) => {
    const type = await tx.get<TypeNames>(sql`SELECT key, label FROM event_types WHERE id = ${id}`);
    if (!type) throw new HttpError(404, "not_found", `There is no event type ${id}.`);
    const used = await tx.value<number>(sql`SELECT 1 WHERE EXISTS (SELECT 1 FROM events WHERE type_id = ${id})
      OR EXISTS (SELECT 1 FROM pending_events WHERE type_id = ${id})
      OR EXISTS (SELECT 1 FROM daily_rollups WHERE type_id = ${id})`);
    if (used !== undefined) {
      throw new HttpError(409, "type_has_events", `"${type.label}" has events, so it cannot be deleted; deactivate it instead.`);
    }
    // Names mapped to it go with it: events under those names become new types again.
    const aliases = (await tx.all<Columns<typeof schema.eventTypeAliases, "nameKey">>(sql`DELETE FROM event_type_aliases WHERE type_id = ${id} RETURNING name_key AS "nameKey"`)).map(
      (a) => a.nameKey,
    );
    await tx.run(sql`DELETE FROM event_types WHERE id = ${id}`);
    await recordAudit(tx, actor, {
      action: "event_type.delete",
      target: `event_type:${id}`,
      details: aliases.length > 0 ? { ...type, mappedNames: aliases } : { ...type },
    });
  });
}
