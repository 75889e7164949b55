import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { keepEventType, mapEventType } from "@/lib/ingestion/server/event-type-mapping";
import { recomputeScores } from "@/lib/scoring/server/recompute-db";
import { createEventType, deleteEventType, newEventTypeSchema, updateEventType } from "@/lib/ingestion/server/event-types";
import { createTestDb } from "./db";

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

const actor = { id: "u1", name: "Ada Admin" };

const audit = (action: string) =>
  db.all<{ target: string; details: string }>(sql`SELECT target, details FROM audit_log WHERE action = ${action} ORDER BY id`);
const typeRow = (id: number) =>
  db.get<{ key: string; label: string; description: string; held: number; isNew: number; weight: number; active: number }>(
    sql`SELECT key, label, description, held, is_new AS "isNew", weight_hundredths AS weight, active FROM event_types WHERE id = ${id}`,
  );
async function insertType(key: string, flags: { held?: number; isNew?: number } = {}): Promise<number> {
  const id = await db.value<number>(
    sql`INSERT INTO event_types (key, label, weight_hundredths, held, is_new) VALUES (${key}, ${key}, 100, ${flags.held ?? 0}, ${flags.isNew ?? 0}) RETURNING id`,
  );
  if (id === undefined) throw new Error("no id");
  return id;
}

describe("event types", () => {
  it("creates a type by its normalised key at weight 0, audited; refuses a key in use", async () => {
    const id = await createEventType(db, { actor, input: newEventTypeSchema.parse({ key: "Demo Booked", label: "Demo booked" }) });
    expect(await typeRow(id)).toEqual({ key: "demo_booked", label: "Demo booked", description: "", held: 0, isNew: 0, weight: 0, active: 1 });
    expect(await audit("event_type.create")).toEqual([{ target: `event_type:${id}`, details: expect.stringContaining("demo_booked") }]);
    await expect(createEventType(db, { actor, input: newEventTypeSchema.parse({ key: "demo-booked", label: "Again" }) })).rejects.toMatchObject({
      status: 409,
      field: "key",
    });
  });

  it("refuses a key that an admin mapped to another type", async () => {
    const target = await insertType("report_created");
    await db.run(sql`INSERT INTO event_type_aliases (name_key, type_id, created_by) VALUES ('reprot_created', ${target}, 'x')`);
    await expect(createEventType(db, { actor, input: newEventTypeSchema.parse({ key: "Reprot created", label: "x" }) })).rejects.toThrow(
      /already count for "report_created"/,
    );
  });

  it("renames and re-describes, keeping what the patch leaves out; 404 for no such type", async () => {
    const id = await insertType("invite_sent");
    await updateEventType(db, { actor, id, patch: { label: "Invite sent" } });
    await updateEventType(db, { actor, id, patch: { description: "A colleague was invited" } });
    expect(await typeRow(id)).toMatchObject({ label: "Invite sent", description: "A colleague was invited" });
    const entries = await audit("event_type.update");
    expect(JSON.parse(entries[1]?.details ?? "{}")).toEqual({
      before: { label: "Invite sent", description: "" },
      after: { label: "Invite sent", description: "A colleague was invited" },
    });
    await expect(updateEventType(db, { actor, id: 999_999, patch: { label: "x" } })).rejects.toMatchObject({ status: 404 });
  });

  it("deletes a type without events together with the names mapped to it; refuses one with daily counts", async () => {
    const unused = await insertType("unused_type");
    await db.run(sql`INSERT INTO event_type_aliases (name_key, type_id, created_by) VALUES ('unused_typo', ${unused}, 'x')`);
    await deleteEventType(db, { actor, id: unused });
    expect(await typeRow(unused)).toBeUndefined();
    expect(await db.value<number>(sql`SELECT count(*) FROM event_type_aliases WHERE type_id = ${unused}`)).toBe(0);
    expect(JSON.parse((await audit("event_type.delete"))[0]?.details ?? "{}")).toEqual({ key: "unused_type", label: "unused_type", mappedNames: ["unused_typo"] });

    const used = await insertType("used_type");
    const account = await db.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES ('acme', 'Acme') RETURNING id`);
    await db.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (20000, ${account}, ${used}, 2)`);
    await expect(deleteEventType(db, { actor, id: used })).rejects.toMatchObject({ status: 409, code: "type_has_events" });
    expect(await typeRow(used)).toBeDefined();
    await expect(deleteEventType(db, { actor, id: 999_999 })).rejects.toMatchObject({ status: 404 });
  });

  it("keeps a held type as a new type of its own, once", async () => {
    const held = await insertType("webinar_registrations", { held: 1 });
    await keepEventType(db, { actor, id: held });
    expect(await typeRow(held)).toMatchObject({ held: 0 });
    await expect(keepEventType(db, { actor, id: held })).rejects.toMatchObject({ status: 409, code: "not_held" });
    await expect(keepEventType(db, { actor, id: 999_999 })).rejects.toMatchObject({ status: 404 });
    expect(await audit("event_type.keep")).toHaveLength(1);
  });

  it("checks a mapping before touching anything", async () => {
    const established = await insertType("established");
    const held = await insertType("establishd", { held: 1 });
    const alsoHeld = await insertType("estabished", { held: 1 });
    await expect(mapEventType(db, { actor, sourceId: established, targetId: held })).rejects.toMatchObject({ code: "not_mappable" });
    await expect(mapEventType(db, { actor, sourceId: held, targetId: held })).rejects.toMatchObject({ status: 400, field: "targetId" });
    await expect(mapEventType(db, { actor, sourceId: held, targetId: alsoHeld })).rejects.toMatchObject({ code: "target_held" });
    await expect(mapEventType(db, { actor, sourceId: 999_999, targetId: established })).rejects.toMatchObject({ status: 404 });
    await expect(mapEventType(db, { actor, sourceId: held, targetId: 999_999 })).rejects.toMatchObject({ status: 404, field: "targetId" });
  });

  it("maps a held type: its daily counts merge into the target's, its name becomes an alias, audited", async () => {
    const target = await insertType("page_viewed");
    const held = await insertType("page_veiwed", { held: 1 });
    const account = await db.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES ('globex', 'Globex') RETURNING id`);
    await db.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (20001, ${account}, ${target}, 3), (20001, ${account}, ${held}, 2), (20002, ${account}, ${held}, 1)`);
    // A held type weighs nothing: the scores as of day 20003 count only the target's 3 events until the mapping.
    await db.run(sql`UPDATE event_types SET weight_hundredths = 0 WHERE id = ${held}`);
    await recomputeScores(db, { asOfDay: 20_003 });
    const score = () => db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${account}`);
    const before = await score();
    expect(await mapEventType(db, { actor, sourceId: held, targetId: target })).toEqual({ events: 0, waitingEvents: 0, occurrences: 3, accounts: 1 });
    expect(await typeRow(held)).toBeUndefined();
    expect(await db.all(sql`SELECT day, count FROM daily_rollups WHERE type_id = ${target} ORDER BY day`)).toEqual([
      { day: 20001, count: 5 },
      { day: 20002, count: 1 },
    ]);
    expect(await db.value<number>(sql`SELECT type_id FROM event_type_aliases WHERE name_key = 'page_veiwed'`)).toBe(target);
    // Rescored from the merged counts as of the day the stored scores are for: what a full recompute gives.
    expect(await score()).toBeGreaterThan(before ?? 0);
    const rescored = await score();
    await recomputeScores(db, { asOfDay: 20_003 });
    expect(await score()).toBe(rescored);
    expect(JSON.parse((await audit("event_type.map"))[0]?.details ?? "{}")).toMatchObject({ from: { key: "page_veiwed" }, to: { key: "page_viewed" }, occurrences: 3 });
  });
});
