import { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { todayDay } from "@/lib/days";
import { heldTypeSuggestions, keepEventType, mapEventType } from "@/lib/ingestion/server/event-type-mapping";
import { createEventType, deleteEventType, newEventTypeSchema } from "@/lib/ingestion/server/event-types";
import { analyseCsv, commitCsv } from "@/lib/ingestion/server/import/csv-import";
import { importCsvStream } from "@/lib/ingestion/server/import/csv-stream";
import { handleNativeEvents, handleSegmentRequest } from "@/lib/ingestion/server/handlers";
import { recomputeScores } from "@/lib/scoring/server/recompute-db";
import { syncScores } from "@/lib/scoring/server/score-sync";
import { createTestDb } from "../db";
import { count, HOUR, isoAgo, newWriteKey, post, TEST_ACTOR } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

/**
 * Issue 22: an event sent or imported under an event type's display label counted for a new,
 * weight-0 type. Every ingestion path now matches names by one rule (lib/ingestion/event-names.ts);
 * a name that only nearly matches is held for an admin to map.
 */
let data: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());

let key = "";
let webinarId = 0;
beforeAll(async () => {
  ({ db: data, cleanup } = await createTestDb());
  webinarId = await count(data, "INSERT INTO event_types (key, label, weight_hundredths) VALUES ('webinar_registered', 'Webinar registration', 300) RETURNING id");
  await data.run(sql`INSERT INTO event_types (key, label, weight_hundredths) VALUES ('report_created', 'Report created', 200)`);
  await data.run(sql`INSERT INTO accounts (external_id, name) VALUES ('acme', 'Acme'), ('globex', 'Globex')`);
  await recomputeScores(data, { asOfDay: todayDay() });
  key = await newWriteKey(data);
});

let sent = 0;
/** Sends one event named `name` to `account` through each ingestion path in turn. */
const paths: Record<string, (name: string, account: string) => Promise<void>> = {
  "Segment /v1/track": async (name, account) => {
    const response = await handleSegmentRequest(data, post("/v1/track", { userId: "u1", event: name, context: { groupId: account }, timestamp: isoAgo(HOUR + ++sent * 1000) }, { key }), "track");
    expect(response.status).toBe(200);
  },
  "native /api/v1/events": async (name, account) => {
    const response = await handleNativeEvents(data, post("/api/v1/events", { events: [{ event: name, accountId: account, timestamp: isoAgo(HOUR + ++sent * 1000) }] }, { authorization: `Bearer ${key}` }));
    expect(response.status).toBe(200);
  },
  "CSV CLI": async (name, account) => {
    const text = `account_id,event,timestamp\n${account},${name},${isoAgo(HOUR + ++sent * 1000)}\n`;
    const summary = await importCsvStream(data, { kind: "events", input: Readable.from([Buffer.from(text)]), actor: TEST_ACTOR, fileName: "e.csv" });
    expect(summary).toMatchObject({ accepted: 1, problemCount: 0 });
  },
  "CSV import page": async (name, account) => {
    const text = `account_id,event,timestamp\n${account},${name},${isoAgo(HOUR + ++sent * 1000)}\n`;
    expect((await commitCsv(data, TEST_ACTOR, { kind: "events", fileName: "e.csv", text })).ok).toBe(true);
  },
};

async function score(account: string): Promise<number> {
  await syncScores(data);
  return count(data, "SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ?", account);
}
const typeCount = () => count(data, "SELECT count(*) FROM event_types");
const eventsOf = (typeId: number) => count(data, "SELECT count(*) FROM events WHERE type_id = ?", typeId);

describe("event names on every ingestion path", () => {
  it("the display label, in any case and spacing, counts for its type", async () => {
    const spellings = ["Webinar registration", "WEBINAR-REGISTRATION", "webinar registration", "Webinar_Registration"];
    await Promise.all(Object.values(paths).map((send, i) => send(spellings[i] ?? "", "acme")));
    expect(await typeCount()).toBe(2);
    expect(await eventsOf(webinarId)).toBe(4);
    expect(await score("acme")).toBe(4 * 300);
  });

  it("a name that nearly matches is held at weight 0, shown with what it may mean, then mapped: its counts move and the score follows, audited", async () => {
    for (const send of Object.values(paths)) await send("Webinar registrations", "globex");
    expect(await typeCount()).toBe(3);
    const held = await data.get<{ id: number; held: number; weight: number }>(
      sql`SELECT id, key, label, held, weight_hundredths AS weight FROM event_types WHERE key = 'webinar_registrations'`,
    );
    if (!held) throw new Error("no held type");
    expect(held).toMatchObject({ held: 1, weight: 0 });
    expect(await eventsOf(held.id)).toBe(4);
    expect(await score("globex")).toBe(0);
    expect((await heldTypeSuggestions(data)).get(held.id)).toEqual([webinarId]);

    // The import page says so before anything is stored.
    const preview = (await analyseCsv(data, "events", `account_id,event,timestamp\nacme,Webinar Registrations,${isoAgo(HOUR)}\nacme,Reprot created,${isoAgo(HOUR)}\n`)).analysis;
    expect(preview.summary.heldEventTypes).toEqual([
      { name: "Reprot created", suggestions: ["Report created"] },
      { name: "Webinar Registrations", suggestions: ["Webinar registration"] },
    ]);
    expect(preview.summary.newEventTypes).toEqual([]);

    expect(await mapEventType(data, { actor: TEST_ACTOR, sourceId: held.id, targetId: webinarId })).toEqual({ events: 4, waitingEvents: 0, occurrences: 4, accounts: 1 });
    expect(await typeCount()).toBe(2);
    expect(await eventsOf(webinarId)).toBe(8);
    expect(await count(data, "SELECT sum(count) FROM daily_rollups WHERE type_id = ?", webinarId)).toBe(8);
    expect(await count(data, "SELECT count(*) FROM daily_rollups WHERE type_id = ?", held.id)).toBe(0);
    // Rescored at once: the held events now count 3 points each.
    expect(await count(data, "SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = 'globex'")).toBe(4 * 300);
    const audit = await data.get<{ actor: string; target: string; details: string }>(sql`SELECT actor_name AS actor, target, details FROM audit_log WHERE action = 'event_type.map'`);
    if (!audit) throw new Error("no audit entry");
    expect(audit.actor).toBe("Test admin");
    expect(audit.target).toBe(`event_type:${webinarId}`);
    expect(JSON.parse(audit.details)).toMatchObject({ from: { label: "Webinar registrations" }, to: { label: "Webinar registration" }, events: 4, accounts: 1 });

    // From now on the name counts for the type directly, on every path.
    for (const send of Object.values(paths)) await send("webinar-registrations", "globex");
    expect(await typeCount()).toBe(2);
    expect(await score("globex")).toBe(8 * 300);
  });

  it("a held type can be kept as a type of its own; only held or new types can be mapped", async () => {
    await paths["native /api/v1/events"]?.("Reprot created", "acme");
    const held = await count(data, "SELECT id FROM event_types WHERE key = 'reprot_created' AND held = 1");
    expect(held).toBeGreaterThan(0);
    await keepEventType(data, { actor: TEST_ACTOR, id: held });
    expect(await data.get(sql`SELECT held, is_new FROM event_types WHERE id = ${held}`)).toEqual({ held: 0, is_new: 1 });
    await expect(keepEventType(data, { actor: TEST_ACTOR, id: held })).rejects.toThrow(/not waiting for a decision/);
    await expect(mapEventType(data, { actor: TEST_ACTOR, sourceId: webinarId, targetId: held })).rejects.toThrow(/weight of its own/);
    await expect(mapEventType(data, { actor: TEST_ACTOR, sourceId: held, targetId: held })).rejects.toThrow(/cannot be mapped to itself/);
    expect(await count(data, "SELECT count(*) FROM audit_log WHERE action = 'event_type.keep'")).toBe(1);
  });

  it("events waiting for their user move too; a type with waiting events or mapped names is never deleted by accident", async () => {
    const demo = await createEventType(data, { actor: TEST_ACTOR, input: newEventTypeSchema.parse({ key: "Demo Booked", label: "Demo booked" }) });
    expect(await data.value(sql`SELECT key FROM event_types WHERE id = ${demo}`)).toBe("demo_booked");
    // A track call from a user no account is linked to yet: the event waits, under a held type.
    const response = await handleSegmentRequest(data, post("/v1/track", { userId: "lonely", event: "Demos booked", timestamp: isoAgo(HOUR) }, { key }), "track");
    expect(response.status).toBe(200);
    const held = await count(data, "SELECT id FROM event_types WHERE key = 'demos_booked' AND held = 1");
    expect(await mapEventType(data, { actor: TEST_ACTOR, sourceId: held, targetId: demo })).toMatchObject({ events: 0, waitingEvents: 1 });
    expect(await count(data, "SELECT count(*) FROM pending_events WHERE type_id = ?", demo)).toBe(1);
    await expect(deleteEventType(data, { actor: TEST_ACTOR, id: demo })).rejects.toThrow(/has events/);
    await expect(createEventType(data, { actor: TEST_ACTOR, input: newEventTypeSchema.parse({ key: "demos-booked", label: "x" }) })).rejects.toThrow(/already count for "Demo booked"/);
  });
});
