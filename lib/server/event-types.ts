import "server-only";
import { z } from "zod";
import { displayLine, displayText, safeIdentifier } from "@/lib/text-safety";
import type { Database } from "@/db";
import { eventTypeKey } from "../ingest/event-types";
import { recordAudit, type AuditActor } from "./audit";
import { HttpError } from "./http";

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

/** Adds an event type with weight 0: its weight is set through a saved, previewed configuration. */
export function createEventType(db: Database, actor: AuditActor, input: NewEventTypeInput): number {
  return db.sqlite.transaction(() => {
    const exists = db.sqlite.prepare("SELECT 1 FROM event_types WHERE key = ?").get(input.key);
    if (exists) throw new HttpError(409, "duplicate_key", `An event type with the key "${input.key}" already exists.`, "key");
    const mapped = db.sqlite.prepare("SELECT t.label FROM event_type_aliases a JOIN event_types t ON t.id = a.type_id WHERE a.name_key = ?").pluck().get(input.key) as string | undefined;
    if (mapped !== undefined) throw new HttpError(409, "duplicate_key", `Events named "${input.key}" already count for "${mapped}" (an admin mapped the name).`, "key");
    const id = db.sqlite
      .prepare("INSERT INTO event_types (key, label, description, weight_hundredths, active, is_new) VALUES (?, ?, ?, 0, 1, 0) RETURNING id")
      .pluck()
      .get(input.key, input.label, input.description) as number;
    recordAudit(db, actor, { action: "event_type.create", target: `event_type:${id}`, details: input });
    return id;
  })();
}

/** Renames or re-describes an event type (not scoring: no new configuration version). */
export function updateEventType(db: Database, actor: AuditActor, id: number, patch: EventTypePatch): void {
  db.sqlite.transaction(() => {
    const before = db.sqlite.prepare("SELECT label, description FROM event_types WHERE id = ?").get(id) as
      | { label: string; description: string }
      | undefined;
    if (!before) throw new HttpError(404, "not_found", `There is no event type ${id}.`);
    const label = patch.label ?? before.label;
    const description = patch.description ?? before.description;
    db.sqlite.prepare("UPDATE event_types SET label = ?, description = ? WHERE id = ?").run(label, description, id);
    recordAudit(db, actor, { action: "event_type.update", target: `event_type:${id}`, details: { before, after: { label, description } } });
  })();
}

/** Deletes an event type that never had an event; one with events can only be deactivated. */
export function deleteEventType(db: Database, actor: AuditActor, id: number): void {
  db.sqlite.transaction(() => {
    const type = db.sqlite.prepare("SELECT key, label FROM event_types WHERE id = ?").get(id) as { key: string; label: string } | undefined;
    if (!type) throw new HttpError(404, "not_found", `There is no event type ${id}.`);
    const used =
      db.sqlite.prepare("SELECT 1 FROM events WHERE type_id = ? LIMIT 1").get(id) ??
      db.sqlite.prepare("SELECT 1 FROM pending_events WHERE type_id = ? LIMIT 1").get(id) ??
      db.sqlite.prepare("SELECT 1 FROM daily_rollups WHERE type_id = ? LIMIT 1").get(id);
    if (used) {
      throw new HttpError(409, "type_has_events", `"${type.label}" has events, so it cannot be deleted; deactivate it instead.`);
    }
    // Names mapped to it go with it: events under those names become new types again.
    const aliases = db.sqlite.prepare("DELETE FROM event_type_aliases WHERE type_id = ? RETURNING name_key").pluck().all(id) as string[];
    db.sqlite.prepare("DELETE FROM event_types WHERE id = ?").run(id);
    recordAudit(db, actor, { action: "event_type.delete", target: `event_type:${id}`, details: aliases.length > 0 ? { ...type, mappedNames: aliases } : type });
  })();
}
