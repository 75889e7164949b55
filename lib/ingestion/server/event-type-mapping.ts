import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { legacyDatabaseOn } from "@/db";
import type { Db, Tx } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { onSqlite } from "@/db/sqlite-client";
import { todayDay, type DayNumber } from "@/lib/days";
import { buildEventTypeCatalog, suggestionsFor, type EventTypeCatalog } from "../event-names";
import { recordAudit, type AuditActor } from "@/lib/operations/server/audit";
import { HttpError } from "@/lib/http/server/http";
import { isRecomputeRunning } from "@/lib/scoring/server/recompute-job";
import { writeScoresInForce } from "@/lib/scoring/server/recompute";
import { writeScoresInForceOn } from "@/lib/scoring/server/recompute-db";
import { syncScoresInTransaction } from "@/lib/scoring/server/score-sync";
import { scoreWriterTransaction } from "@/lib/scoring/server/score-watermark";
import { announceScoreTransitions } from "@/lib/scoring/server/score-transition-signal";

/**
 * What admins decide about the event types ingestion holds (lib/ingestion/event-names.ts): map
 * one to an existing type — its events, waiting events and daily counts move to that type,
 * the name is remembered for future events, and the accounts concerned are rescored at once —
 * or keep it as a type of its own.
 */
export const mapEventTypeSchema = z.object({
  targetId: z.number({ error: "Choose the event type to map it to" }).int().positive("Choose the event type to map it to"),
});

/** The catalog's rows as both writers read them (lib/ingestion/server/writer.ts on SQLite too). */
export type CatalogTypeRow = Columns<typeof schema.eventTypes, "id" | "key" | "label" | "held">;
export type CatalogAliasRow = Columns<typeof schema.eventTypeAliases, "nameKey" | "typeId">;

const CATALOG_TYPES = sql`SELECT id, key, label, held FROM event_types`;
const CATALOG_ALIASES = sql`SELECT name_key AS "nameKey", type_id AS "typeId" FROM event_type_aliases`;

function catalogFrom(types: CatalogTypeRow[], aliases: CatalogAliasRow[]): EventTypeCatalog {
  return buildEventTypeCatalog(
    types.map((t) => ({ id: t.id, key: t.key, label: t.label, held: t.held === 1 })),
    aliases,
  );
}

/** The event types and mapped names, as the matching rule sees them. */
export async function loadEventTypeCatalog(db: Db): Promise<EventTypeCatalog> {
  return catalogFrom(await db.all<CatalogTypeRow>(CATALOG_TYPES), await db.all<CatalogAliasRow>(CATALOG_ALIASES));
}

/** "Did you mean …" for every held type: type id → the ids of the types its name nearly matches. */
export async function heldTypeSuggestions(db: Db): Promise<Map<number, number[]>> {
  const catalog = await loadEventTypeCatalog(db);
  const suggestions = new Map<number, number[]>();
  for (const type of catalog.types.values()) if (type.held) suggestions.set(type.id, suggestionsFor(catalog, type.key));
  return suggestions;
}

/** What mapping reads of a type; `held` and `isNew` are 0/1 on both databases. */
type TypeRow = Columns<typeof schema.eventTypes, "id" | "key" | "label" | "held" | "isNew">;

export interface MappingResult {
  events: number;
  waitingEvents: number;
  /** The summed daily counts that moved (events × quantity). */
  occurrences: number;
  accounts: number;
}

export interface MapEventTypeParams {
  actor: AuditActor;
  sourceId: number;
  targetId: number;
}

/**
 * The accounts' scores with the weights in force, inside the mapping's transaction: SQLite
 * keeps its synchronous recompute (prepared statements, no promise per row); PostgreSQL writes
 * through the data layer. True when the writes recorded transitions the alert worker must be
 * told about after the commit (SQLite's writer tells it itself).
 */
async function rescore(tx: Tx, params: { asOfDay: DayNumber; accountIds: readonly number[] }): Promise<boolean> {
  if (onSqlite(tx, (sqlite) => writeScoresInForce(legacyDatabaseOn(sqlite), params)) !== null) return false;
  return (await writeScoresInForceOn(tx, params)).announce;
}

/**
 * Maps a held (or new, not yet weighed) event type to an existing one, in ONE transaction: its
 * events, waiting events and daily counts become the target's, its name becomes an alias of
 * the target, the held type is removed, and the scores and history of the accounts that had
 * its events are recomputed with the weights in force. Audited.
 */
export async function mapEventType(db: Db, params: MapEventTypeParams): Promise<MappingResult> {
  const { actor, sourceId, targetId } = params;
  if (isRecomputeRunning()) throw new HttpError(409, "recompute_running", "Scores are being recomputed; map the event type when that is done.");
  // A score writer's transaction (one snapshot, the score writers' lock first): the counts move
  // and are rescored in one state, and no other server's sync sees them half-moved.
  const { result, announce } = await scoreWriterTransaction(db, async (tx): Promise<{ result: MappingResult; announce: boolean }> => {
    const byId = (id: number) => tx.get<TypeRow>(sql`SELECT id, key, label, held, is_new AS "isNew" FROM event_types WHERE id = ${id}`);
    const source = await byId(sourceId);
    if (!source) throw new HttpError(404, "not_found", `There is no event type ${sourceId}.`);
    if (source.held !== 1 && source.isNew !== 1) {
      throw new HttpError(409, "not_mappable", `"${source.label}" is an event type with a weight of its own; only held or new event types can be mapped.`);
    }
    const target = await byId(targetId);
    if (!target) throw new HttpError(404, "not_found", `There is no event type ${targetId}.`, "targetId");
    if (target.id === source.id) throw new HttpError(400, "invalid_request", "An event type cannot be mapped to itself.", "targetId");
    if (target.held === 1) throw new HttpError(409, "target_held", `"${target.label}" is waiting for a decision itself; choose an established event type.`, "targetId");

    // Every event stored so far is in the scores first: the counts moved below are then
    // rescored once, never again by the incremental sync.
    const synced = await syncScoresInTransaction(tx);
    const accounts = (await tx.all<Columns<typeof schema.dailyRollups, "accountId">>(sql`SELECT DISTINCT account_id AS "accountId" FROM daily_rollups WHERE type_id = ${source.id}`)).map(
      (r) => r.accountId,
    );
    const occurrences = (await tx.value<number>(sql`SELECT coalesce(sum(count), 0) FROM daily_rollups WHERE type_id = ${source.id}`)) ?? 0;
    const events = (await tx.run(sql`UPDATE events SET type_id = ${target.id} WHERE type_id = ${source.id}`)).rowsAffected;
    const waitingEvents = (await tx.run(sql`UPDATE pending_events SET type_id = ${target.id} WHERE type_id = ${source.id}`)).rowsAffected;
    await tx.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count)
      SELECT day, account_id, ${target.id}, count FROM daily_rollups WHERE type_id = ${source.id}
      ON CONFLICT (day, account_id, type_id) DO UPDATE SET count = daily_rollups.count + excluded.count`);
    await tx.run(sql`DELETE FROM daily_rollups WHERE type_id = ${source.id}`);
    await tx.run(sql`UPDATE event_type_aliases SET type_id = ${target.id} WHERE type_id = ${source.id}`);
    await tx.run(sql`INSERT INTO event_type_aliases (name_key, type_id, created_by) VALUES (${source.key}, ${target.id}, ${actor.name})`);
    await tx.run(sql`DELETE FROM event_types WHERE id = ${source.id}`);

    let rescored = false;
    if (accounts.length > 0) {
      const storedAsOf = await tx.value<Column<typeof schema.accountScores, "asOfDay"> | null>(sql`SELECT max(as_of_day) FROM account_scores`);
      rescored = await rescore(tx, { asOfDay: storedAsOf ?? todayDay(), accountIds: accounts });
    }
    const result: MappingResult = { events, waitingEvents, occurrences, accounts: accounts.length };
    await recordAudit(tx, actor, {
      action: "event_type.map",
      target: `event_type:${target.id}`,
      details: { from: { key: source.key, label: source.label }, to: { key: target.key, label: target.label }, ...result },
    });
    return { result, announce: rescored || (tx.dialect === "postgres" && synced !== null) };
  });
  // After the commit: on PostgreSQL a listener woken earlier would not see the rows yet.
  if (announce) announceScoreTransitions();
  return result;
}

export interface KeepEventTypeParams {
  actor: AuditActor;
  id: number;
}

/** Keeps a held event type as a type of its own (a new type, weight 0 until weighed). Audited. */
export async function keepEventType(db: Db, params: KeepEventTypeParams): Promise<void> {
  const { actor, id } = params;
  await db.transaction(async (tx) => {
    const type = await tx.get<Pick<TypeRow, "key" | "label" | "held">>(sql`SELECT key, label, held FROM event_types WHERE id = ${id}`);
    if (!type) throw new HttpError(404, "not_found", `There is no event type ${id}.`);
    if (type.held !== 1) throw new HttpError(409, "not_held", `"${type.label}" is not waiting for a decision.`);
    await tx.run(sql`UPDATE event_types SET held = 0 WHERE id = ${id}`);
    await recordAudit(tx, actor, { action: "event_type.keep", target: `event_type:${id}`, details: { key: type.key, label: type.label } });
  });
}
