import "server-only";
import { z } from "zod";
import type { Database } from "@/db";
import { todayDay } from "../days";
import { buildEventTypeCatalog, suggestionsFor, type CatalogAlias, type CatalogType, type EventTypeCatalog } from "../ingest/event-names";
import { recordAudit, type AuditActor } from "./audit";
import { HttpError } from "./http";
import { isRecomputeRunning } from "./recompute-job";
import { writeScoresInForce } from "./recompute";
import { syncScoresInTransaction } from "./score-sync";

/**
 * What admins decide about the event types ingestion holds (lib/ingest/event-names.ts): map
 * one to an existing type — its events, waiting events and daily counts move to that type,
 * the name is remembered for future events, and the accounts concerned are rescored at once —
 * or keep it as a type of its own.
 */
export const mapEventTypeSchema = z.object({
  targetId: z.number({ error: "Choose the event type to map it to" }).int().positive("Choose the event type to map it to"),
});

/** The event types and mapped names, as the matching rule sees them. */
export function eventTypeCatalog(db: Database): EventTypeCatalog {
  const types = (db.sqlite.prepare("SELECT id, key, label, held FROM event_types").all() as (Omit<CatalogType, "held"> & { held: number })[]).map((t) => ({
    ...t,
    held: t.held === 1,
  }));
  const aliases = db.sqlite.prepare("SELECT name_key AS nameKey, type_id AS typeId FROM event_type_aliases").all() as CatalogAlias[];
  return buildEventTypeCatalog(types, aliases);
}

/** "Did you mean …" for every held type: type id → the ids of the types its name nearly matches. */
export function heldTypeSuggestions(db: Database): Map<number, number[]> {
  const catalog = eventTypeCatalog(db);
  const suggestions = new Map<number, number[]>();
  for (const type of catalog.types.values()) if (type.held) suggestions.set(type.id, suggestionsFor(catalog, type.key));
  return suggestions;
}

interface TypeRow {
  id: number;
  key: string;
  label: string;
  held: number;
  isNew: number;
}

export interface MappingResult {
  events: number;
  waitingEvents: number;
  /** The summed daily counts that moved (events × quantity). */
  occurrences: number;
  accounts: number;
}

/**
 * Maps a held (or new, not yet weighed) event type to an existing one, in ONE transaction: its
 * events, waiting events and daily counts become the target's, its name becomes an alias of
 * the target, the held type is removed, and the scores and history of the accounts that had
 * its events are recomputed with the weights in force. Audited.
 */
export function mapEventType(db: Database, actor: AuditActor, sourceId: number, targetId: number): MappingResult {
  if (isRecomputeRunning()) throw new HttpError(409, "recompute_running", "Scores are being recomputed; map the event type when that is done.");
  return db.sqlite
    .transaction((): MappingResult => {
      const byId = db.sqlite.prepare("SELECT id, key, label, held, is_new AS isNew FROM event_types WHERE id = ?");
      const source = byId.get(sourceId) as TypeRow | undefined;
      if (!source) throw new HttpError(404, "not_found", `There is no event type ${sourceId}.`);
      if (source.held !== 1 && source.isNew !== 1) {
        throw new HttpError(409, "not_mappable", `"${source.label}" is an event type with a weight of its own; only held or new event types can be mapped.`);
      }
      const target = byId.get(targetId) as TypeRow | undefined;
      if (!target) throw new HttpError(404, "not_found", `There is no event type ${targetId}.`, "targetId");
      if (target.id === source.id) throw new HttpError(400, "invalid_request", "An event type cannot be mapped to itself.", "targetId");
      if (target.held === 1) throw new HttpError(409, "target_held", `"${target.label}" is waiting for a decision itself; choose an established event type.`, "targetId");

      // Every event stored so far is in the scores first: the counts moved below are then
      // rescored once, never again by the incremental sync.
      syncScoresInTransaction(db);
      const accounts = db.sqlite.prepare("SELECT DISTINCT account_id FROM daily_rollups WHERE type_id = ?").pluck().all(source.id) as number[];
      const occurrences = db.sqlite.prepare("SELECT coalesce(sum(count), 0) FROM daily_rollups WHERE type_id = ?").pluck().get(source.id) as number;
      const events = db.sqlite.prepare("UPDATE events SET type_id = ? WHERE type_id = ?").run(target.id, source.id).changes;
      const waitingEvents = db.sqlite.prepare("UPDATE pending_events SET type_id = ? WHERE type_id = ?").run(target.id, source.id).changes;
      db.sqlite
        .prepare(
          `INSERT INTO daily_rollups (day, account_id, type_id, count) SELECT day, account_id, ?, count FROM daily_rollups WHERE type_id = ?
           ON CONFLICT(day, account_id, type_id) DO UPDATE SET count = count + excluded.count`,
        )
        .run(target.id, source.id);
      db.sqlite.prepare("DELETE FROM daily_rollups WHERE type_id = ?").run(source.id);
      db.sqlite.prepare("UPDATE event_type_aliases SET type_id = ? WHERE type_id = ?").run(target.id, source.id);
      db.sqlite.prepare("INSERT INTO event_type_aliases (name_key, type_id, created_by) VALUES (?, ?, ?)").run(source.key, target.id, actor.name);
      db.sqlite.prepare("DELETE FROM event_types WHERE id = ?").run(source.id);

      if (accounts.length > 0) {
        const asOfDay = (db.sqlite.prepare("SELECT max(as_of_day) FROM account_scores").pluck().get() as number | null) ?? todayDay();
        writeScoresInForce(db, { asOfDay, accountIds: accounts });
      }
      const result: MappingResult = { events, waitingEvents, occurrences, accounts: accounts.length };
      recordAudit(db, actor, {
        action: "event_type.map",
        target: `event_type:${target.id}`,
        details: { from: { key: source.key, label: source.label }, to: { key: target.key, label: target.label }, ...result },
      });
      return result;
    })
    .immediate();
}

/** Keeps a held event type as a type of its own (a new type, weight 0 until weighed). Audited. */
export function keepEventType(db: Database, actor: AuditActor, id: number): void {
  db.sqlite
    .transaction(() => {
      const type = db.sqlite.prepare("SELECT key, label, held FROM event_types WHERE id = ?").get(id) as { key: string; label: string; held: number } | undefined;
      if (!type) throw new HttpError(404, "not_found", `There is no event type ${id}.`);
      if (type.held !== 1) throw new HttpError(409, "not_held", `"${type.label}" is not waiting for a decision.`);
      db.sqlite.prepare("UPDATE event_types SET held = 0 WHERE id = ?").run(id);
      recordAudit(db, actor, { action: "event_type.keep", target: `event_type:${id}`, details: { key: type.key, label: type.label } });
    })
    .immediate();
}
