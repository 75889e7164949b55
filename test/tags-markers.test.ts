import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeTags, deleteTag, getTagsOverview } from "@/lib/server/tags";
import { createChangeMarker, deleteChangeMarker, listChangeMarkers, updateChangeMarker } from "@/lib/server/markers";
import { markerInputSchema } from "@/lib/teams/markers";
import { tagChangeSchema } from "@/lib/teams/tags";
import { createTestDatabase } from "./db";

const { db, cleanup } = createTestDatabase();
afterAll(cleanup);
const actor = { id: "u1", name: "Ada Admin" };

beforeAll(() => {
  const add = db.sqlite.prepare("INSERT INTO accounts (external_id, name, plan, region, signup_date) VALUES (?, ?, ?, ?, ?)");
  add.run("a1", "One", "Starter", "EU", "2026-01-10");
  add.run("a2", "Two", "Starter", "US", "2026-02-10");
  add.run("a3", "Three", "Growth", "EU", "2026-03-10");
  add.run("a4", "Four; DROP TABLE accounts", "Growth", "US", "2026-04-10");
});

function audit(action: string) {
  return db.sqlite.prepare("SELECT actor_id AS actorId, target, details FROM audit_log WHERE action = ? ORDER BY id").all(action) as {
    actorId: string;
    target: string;
    details: string;
  }[];
}

describe("bulk tagging", () => {
  it("previews without writing, then tags the accounts a filter matches, audited", () => {
    const change = tagChangeSchema.parse({ action: "add", tag: "  EU   pilot ", selection: { by: "filter", filter: { region: "EU" } }, preview: true });
    expect(change.tag).toBe("EU pilot");
    expect(changeTags(db, actor, change)).toMatchObject({ matched: 2, changed: 2, preview: true });
    expect(getTagsOverview(db).tags).toEqual([]);
    expect(audit("tags.add")).toHaveLength(0);

    expect(changeTags(db, actor, { ...change, preview: false })).toMatchObject({ matched: 2, changed: 2 });
    expect(getTagsOverview(db).tags).toEqual([{ tag: "EU pilot", accounts: 2 }]);
    const entries = audit("tags.add");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: "u1", target: "tag:EU pilot" });
    expect(JSON.parse(entries[0]?.details ?? "{}")).toMatchObject({ matched: 2, changed: 2 });
  });

  it("tags by external ids, reports unknown ids, and does not count accounts twice", () => {
    const result = changeTags(db, actor, {
      action: "add",
      tag: "EU pilot",
      preview: false,
      selection: { by: "ids", externalIds: ["a1", "a4", "nope", "a4' OR 1=1 --"] },
    });
    expect(result).toMatchObject({ matched: 2, changed: 1, unknownCount: 2, unknownExternalIds: ["nope", "a4' OR 1=1 --"] });
    expect(getTagsOverview(db).tags).toEqual([{ tag: "EU pilot", accounts: 3 }]);
  });

  it("filters by signup dates and removes tags", () => {
    const filter = { signupFrom: "2026-02-01", signupTo: "2026-03-31" };
    expect(changeTags(db, actor, { action: "remove", tag: "EU pilot", preview: false, selection: { by: "filter", filter } })).toMatchObject({
      matched: 2,
      changed: 1,
    });
    expect(getTagsOverview(db).tags).toEqual([{ tag: "EU pilot", accounts: 2 }]);
    expect(tagChangeSchema.safeParse({ action: "add", tag: "x", selection: { by: "filter", filter: { signupFrom: "2026-05-01", signupTo: "2026-01-01" } } }).success).toBe(false);
    expect(tagChangeSchema.safeParse({ action: "add", tag: " ", selection: { by: "ids", externalIds: ["a1"] } }).success).toBe(false);
  });

  it("deletes a tag from every account", () => {
    expect(deleteTag(db, actor, "EU pilot")).toBe(2);
    expect(getTagsOverview(db).tags).toEqual([]);
    expect(audit("tags.delete")).toHaveLength(1);
    expect(deleteTag(db, actor, "EU pilot")).toBe(0);
  });
});

describe("change markers", () => {
  it("creates, edits and deletes markers, each audited", () => {
    const input = markerInputSchema.parse({ date: "2026-05-01", title: " Pricing page ", description: "" });
    const created = createChangeMarker(db, actor, input);
    expect(created).toMatchObject({ date: "2026-05-01", title: "Pricing page" });
    expect(updateChangeMarker(db, actor, created.id, { ...input, title: "New pricing page" })?.title).toBe("New pricing page");
    expect(listChangeMarkers(db).map((m) => m.title)).toEqual(["New pricing page"]);
    expect(updateChangeMarker(db, actor, 9999, input)).toBeNull();
    expect(deleteChangeMarker(db, actor, created.id)).toBe(true);
    expect(deleteChangeMarker(db, actor, created.id)).toBe(false);
    expect(listChangeMarkers(db)).toEqual([]);
    expect(audit("marker.create")).toHaveLength(1);
    expect(JSON.parse(audit("marker.update")[0]?.details ?? "{}")).toMatchObject({ before: { title: "Pricing page" }, after: { title: "New pricing page" } });
    expect(audit("marker.delete")).toHaveLength(1);
  });

  it("rejects invalid dates and empty titles, naming the field", () => {
    const bad = markerInputSchema.safeParse({ date: "2026-02-30", title: "x" });
    expect(bad.error?.issues[0]?.path).toEqual(["date"]);
    expect(markerInputSchema.safeParse({ date: "2026-02-01", title: "   " }).error?.issues[0]?.path).toEqual(["title"]);
  });
});
