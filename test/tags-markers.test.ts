import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { changeTags, deleteTag, getTagsOverview } from "@/lib/accounts/server/tags";
import { createChangeMarker, deleteChangeMarker, getChangeMarker, listChangeMarkers, updateChangeMarker } from "@/lib/teams/server/markers";
import { markerInputSchema } from "@/lib/teams/markers";
import { tagChangeSchema } from "@/lib/teams/tags";
import { createTestDb } from "./db";

let db: Db;
let cleanup: () => Promise<void>;
const actor = { id: "u1", name: "Ada Admin" };

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  const add = (externalId: string, name: string, plan: string, region: string, signupDate: string) =>
    db.run(sql`INSERT INTO accounts (external_id, name, plan, region, signup_date) VALUES (${externalId}, ${name}, ${plan}, ${region}, ${signupDate})`);
  await add("a1", "One", "Starter", "EU", "2026-01-10");
  await add("a2", "Two", "Starter", "US", "2026-02-10");
  await add("a3", "Three", "Growth", "EU", "2026-03-10");
  await add("a4", "Four; DROP TABLE accounts", "Growth", "US", "2026-04-10");
});
afterAll(async () => cleanup());

function audit(action: string) {
  return db.all<{ actorId: string; target: string; details: string }>(
    sql`SELECT actor_id AS "actorId", target, details FROM audit_log WHERE action = ${action} ORDER BY id`,
  );
}

describe("bulk tagging", () => {
  it("previews without writing, then tags the accounts a filter matches, audited", async () => {
    const change = tagChangeSchema.parse({ action: "add", tag: "  EU   pilot ", selection: { by: "filter", filter: { region: "EU" } }, preview: true });
    expect(change.tag).toBe("EU pilot");
    expect(await changeTags(db, { actor, change })).toMatchObject({ matched: 2, changed: 2, preview: true });
    expect((await getTagsOverview(db)).tags).toEqual([]);
    expect(await audit("tags.add")).toHaveLength(0);

    expect(await changeTags(db, { actor, change: { ...change, preview: false } })).toMatchObject({ matched: 2, changed: 2 });
    expect((await getTagsOverview(db)).tags).toEqual([{ tag: "EU pilot", accounts: 2 }]);
    const entries = await audit("tags.add");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: "u1", target: "tag:EU pilot" });
    expect(JSON.parse(entries[0]?.details ?? "{}")).toMatchObject({ matched: 2, changed: 2 });
  });

  it("tags by external ids, reports unknown ids in the order given, and does not count accounts twice", async () => {
    const result = await changeTags(db, {
      actor,
      change: { action: "add", tag: "EU pilot", preview: false, selection: { by: "ids", externalIds: ["a1", "a4", "nope", "a4", "a4' OR 1=1 --"] } },
    });
    expect(result).toMatchObject({ matched: 2, changed: 1, unknownCount: 2, unknownExternalIds: ["nope", "a4' OR 1=1 --"] });
    expect((await getTagsOverview(db)).tags).toEqual([{ tag: "EU pilot", accounts: 3 }]);
  });

  it("takes a selection of more external ids than a statement may have parameters", async () => {
    const externalIds = Array.from({ length: 40_000 }, (_, i) => `missing-${i}`).concat("a2");
    const result = await changeTags(db, { actor, change: { action: "add", tag: "Many", preview: true, selection: { by: "ids", externalIds } } });
    expect(result).toMatchObject({ matched: 1, changed: 1, unknownCount: 40_000 });
    expect(result.unknownExternalIds.slice(0, 2)).toEqual(["missing-0", "missing-1"]);
  });

  it("filters by signup dates and removes tags", async () => {
    const filter = { signupFrom: "2026-02-01", signupTo: "2026-03-31" };
    expect(await changeTags(db, { actor, change: { action: "remove", tag: "EU pilot", preview: false, selection: { by: "filter", filter } } })).toMatchObject({
      matched: 2,
      changed: 1,
    });
    expect((await getTagsOverview(db)).tags).toEqual([{ tag: "EU pilot", accounts: 2 }]);
    expect(tagChangeSchema.safeParse({ action: "add", tag: "x", selection: { by: "filter", filter: { signupFrom: "2026-05-01", signupTo: "2026-01-01" } } }).success).toBe(false);
    expect(tagChangeSchema.safeParse({ action: "add", tag: " ", selection: { by: "ids", externalIds: ["a1"] } }).success).toBe(false);
  });

  it("lists tags case-insensitively and the filter's options in order", async () => {
    await changeTags(db, { actor, change: { action: "add", tag: "alpha", preview: false, selection: { by: "ids", externalIds: ["a1"] } } });
    await changeTags(db, { actor, change: { action: "add", tag: "Beta", preview: false, selection: { by: "ids", externalIds: ["a2"] } } });
    const overview = await getTagsOverview(db);
    expect(overview.tags.map((t) => t.tag)).toEqual(["alpha", "Beta", "EU pilot"]);
    expect(overview.totalAccounts).toBe(4);
    expect(overview.options).toEqual({ plans: ["Growth", "Starter"], regions: ["EU", "US"], industries: [], accountManagers: [] });
    await deleteTag(db, { actor, tag: "alpha" });
    await deleteTag(db, { actor, tag: "Beta" });
  });

  it("deletes a tag from every account", async () => {
    expect(await deleteTag(db, { actor, tag: "EU pilot" })).toBe(2);
    expect((await getTagsOverview(db)).tags).toEqual([]);
    expect(await audit("tags.delete")).toHaveLength(3);
    expect(await deleteTag(db, { actor, tag: "EU pilot" })).toBe(0);
  });
});

describe("change markers", () => {
  it("creates, edits and deletes markers, each audited", async () => {
    const input = markerInputSchema.parse({ date: "2026-05-01", title: " Pricing page ", description: "" });
    const created = await createChangeMarker(db, { actor, input });
    expect(created).toMatchObject({ date: "2026-05-01", title: "Pricing page" });
    expect((await updateChangeMarker(db, { actor, id: created.id, input: { ...input, title: "New pricing page" } }))?.title).toBe("New pricing page");
    expect((await listChangeMarkers(db)).map((m) => m.title)).toEqual(["New pricing page"]);
    expect(await getChangeMarker(db, { id: created.id })).toEqual({ id: created.id, date: "2026-05-01", title: "New pricing page", description: "" });
    expect(await updateChangeMarker(db, { actor, id: 9999, input })).toBeNull();
    expect(await deleteChangeMarker(db, { actor, id: created.id })).toBe(true);
    expect(await deleteChangeMarker(db, { actor, id: created.id })).toBe(false);
    expect(await listChangeMarkers(db)).toEqual([]);
    expect(await audit("marker.create")).toHaveLength(1);
    expect(JSON.parse((await audit("marker.update"))[0]?.details ?? "{}")).toMatchObject({ before: { title: "Pricing page" }, after: { title: "New pricing page" } });
    expect(await audit("marker.delete")).toHaveLength(1);
  });

  it("lists markers newest first, ties by the later id", async () => {
    const a = await createChangeMarker(db, { actor, input: { date: "2026-03-01", title: "A", description: "" } });
    const b = await createChangeMarker(db, { actor, input: { date: "2026-04-01", title: "B", description: "x" } });
    const c = await createChangeMarker(db, { actor, input: { date: "2026-03-01", title: "C", description: "" } });
    expect((await listChangeMarkers(db)).map((m) => m.id)).toEqual([b.id, c.id, a.id]);
  });

  it("rolls the change back when its audit entry cannot be written", async () => {
    const before = await listChangeMarkers(db);
    const noActor = { id: null, name: "x" } as unknown as { id: string; name: string };
    await expect(createChangeMarker(db, { actor: noActor, input: { date: "2026-06-01", title: "Lost", description: "" } })).rejects.toThrow();
    expect(await listChangeMarkers(db)).toEqual(before);
  });

  it("rejects invalid dates and empty titles, naming the field", () => {
    const bad = markerInputSchema.safeParse({ date: "2026-02-30", title: "x" });
    expect(bad.error?.issues[0]?.path).toEqual(["date"]);
    expect(markerInputSchema.safeParse({ date: "2026-02-01", title: "   " }).error?.issues[0]?.path).toEqual(["title"]);
  });
});
