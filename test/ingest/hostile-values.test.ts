import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayDay } from "@/lib/days";
import { analyseCsv, commitCsv } from "@/lib/ingestion/server/import/csv-import";
import { handleNativeAccounts, handleNativeEvents, handleNativeOutcomes, handleSegmentRequest } from "@/lib/ingestion/server/handlers";
import { createTestDb } from "../db";
import type { Db } from "@/db/client";
import { HOUR, isoAgo, json, newWriteKey, post, TEST_ACTOR, query, recomputeOnSqlite } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

/**
 * Issue 14 item 10: what the ingestion writers store. Identifiers with control characters,
 * escape sequences or bidirectional overrides are refused (two ids must never become one);
 * display names are stored without them; dates outside their documented ranges are refused
 * with the field named. Also item 4: deeply nested JSON is a 400 naming the limit.
 */
let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

let key = "";
beforeAll(async () => {
  await recomputeOnSqlite(db, todayDay());
  key = await newWriteKey(db);
});

const bearer = () => ({ authorization: `Bearer ${key}` });
const nameOf = (externalId: string) => db.value<string>(query("SELECT name FROM accounts WHERE external_id = ?", externalId));
type Rejected = { index: number; field: string; message: string }[];

describe("identifiers and names", () => {
  it("stores display names without NUL, controls, ANSI escapes or bidi overrides, keeping ordinary Unicode", async () => {
    const res = await handleNativeAccounts(
      db,
      post("/api/v1/accounts", { accounts: [{ id: "clean-1", name: "Acme\u0000 \u001b[31mRed\u001b[0m\u202E Société 株式会社 🚀", plan: "Pro\u0007" }] }, bearer()),
    );
    expect(await json(res)).toMatchObject({ accepted: 1, rejected: [] });
    expect(await nameOf("clean-1")).toBe("Acme Red Société 株式会社 🚀");
    expect(await db.value(query("SELECT plan FROM accounts WHERE external_id = 'clean-1'"))).toBe("Pro");
  });

  it("refuses account, user and message ids and tags holding them, naming the field", async () => {
    const body = await json(
      await handleNativeAccounts(
        db,
        post("/api/v1/accounts", { accounts: [{ id: "evil\u0000id" }, { id: "ok-2", tags: ["vip\u202E"] }, { id: "ok-3", userIds: ["u\u001b[0m"] }] }, bearer()),
      ),
    );
    expect((body.rejected as Rejected).map((r) => [r.index, r.field])).toEqual([
      [0, "id"],
      [1, "tags.0"],
      [2, "userIds.0"],
    ]);
    expect((body.rejected as Rejected)[0]?.message).toMatch(/control characters/);
    const events = await json(
      await handleNativeEvents(
        db,
        post("/api/v1/events", { events: [{ event: "Login", accountId: "acme\nx", timestamp: isoAgo(HOUR) }, { event: "Login", accountId: "acme", messageId: "m\u0000", timestamp: isoAgo(HOUR) }] }, bearer()),
      ),
    );
    expect((events.rejected as Rejected).map((r) => r.field)).toEqual(["accountId", "messageId"]);
  });

  it("does the same for Segment calls: ids refused, traits cleaned, event labels cleaned", async () => {
    const group = await handleSegmentRequest(
      db,
      post("/v1/group", { userId: "seg-u", groupId: "seg-1", traits: { name: "Seg\u0000ment \u2066Co\u2069" } }, bearer()),
      "group",
    );
    expect(group.status).toBe(200);
    expect(await nameOf("seg-1")).toBe("Segment Co");
    const badId = await handleSegmentRequest(db, post("/v1/track", { userId: "u\u0000", event: "Login" }, bearer()), "track");
    expect(badId.status).toBe(400);
    expect(await json(badId)).toMatchObject({ error: { field: "userId" } });
    const track = await handleSegmentRequest(db, post("/v1/track", { userId: "seg-u", event: "\u001b[1mBold\u001b[0m Event\u0000", context: { groupId: "seg-1" } }, bearer()), "track");
    expect(track.status).toBe(200);
    expect(await db.value(query("SELECT label FROM event_types WHERE key = 'bold_event'"))).toBe("Bold Event");
  });

  it("does the same for CSV imports", async () => {
    const outcome = await commitCsv(db, TEST_ACTOR, { kind: "accounts", fileName: "a.csv", text: "id,name\ncsv-1,\"Csv\u0000 Corp\u202E\"\n" });
    expect(outcome.ok).toBe(true);
    expect(await nameOf("csv-1")).toBe("Csv Corp");
    const { analysis } = await analyseCsv(db, "accounts", "id,name\n\"csv\u0000bad\",Bad\n");
    expect(analysis.problems).toEqual([expect.objectContaining({ line: 2, field: "id", message: expect.stringMatching(/control characters/) })]);
  });
});

describe("dates", () => {
  it("refuses events before 2000 or more than a day ahead, at every writer", async () => {
    const native = await json(
      await handleNativeEvents(db, post("/api/v1/events", { events: [{ event: "Login", accountId: "acme", timestamp: "1970-01-01T00:00:00Z" }] }, bearer())),
    );
    expect(native.rejected).toEqual([expect.objectContaining({ field: "timestamp", message: "must be on or after 2000-01-01" })]);
    const segment = await handleSegmentRequest(db, post("/v1/track", { userId: "seg-u", event: "Login", timestamp: "1999-12-31T23:59:59Z" }, bearer()), "track");
    expect(segment.status).toBe(400);
    expect(await json(segment)).toMatchObject({ error: { field: "timestamp", message: "timestamp: must be on or after 2000-01-01" } });
    const { analysis } = await analyseCsv(db, "events", "account_id,event,timestamp\nacme,Login,1970-01-01T00:00:00Z\n");
    expect(analysis.problems).toEqual([expect.objectContaining({ field: "timestamp", message: "must be on or after 2000-01-01" })]);
  });

  it("refuses account dates outside their ranges, naming the field", async () => {
    const body = await json(
      await handleNativeAccounts(
        db,
        post("/api/v1/accounts", { accounts: [{ id: "d-1", signupDate: "1970-01-01" }, { id: "d-2", renewalDate: "9999-12-31" }, { id: "d-3", trialEndDate: "2000-01-01", renewalDate: "2030-01-01" }] }, bearer()),
      ),
    );
    expect((body.rejected as Rejected).map((r) => [r.index, r.field, r.message.slice(0, 17)])).toEqual([
      [0, "signupDate", "must be on or aft"],
      [1, "renewalDate", "must be on or bef"],
    ]);
    const group = await handleSegmentRequest(db, post("/v1/group", { userId: "seg-u", groupId: "seg-1", traits: { signup_date: "1969-07-20" } }, bearer()), "group");
    expect(group.status).toBe(400);
    expect(await json(group)).toMatchObject({ error: { field: "traits.signup_date" } });
  });

  it("refuses renewal outcomes dated before 2000", async () => {
    await handleNativeAccounts(db, post("/api/v1/accounts", { accounts: [{ id: "o-1" }] }, bearer()));
    const body = await json(
      await handleNativeOutcomes(db, post("/api/v1/outcomes", { outcomes: [{ accountId: "o-1", renewalDate: "1999-06-30", outcome: "renewed" }] }, bearer())),
    );
    expect(body.rejected).toEqual([expect.objectContaining({ field: "renewalDate", message: "must be on or after 2000-01-01" })]);
  });
});

describe("deeply nested JSON", () => {
  const deep = `{"batch":[${"[".repeat(100_000)}${"]".repeat(100_000)}]}`;
  it.each([
    ["/v1/batch", (r: Request) => handleSegmentRequest(db, r, "batch")],
    ["/v1/track", (r: Request) => handleSegmentRequest(db, r, "track")],
    ["/api/v1/events", (r: Request) => handleNativeEvents(db, r)],
    ["/api/v1/accounts", (r: Request) => handleNativeAccounts(db, r)],
  ])("%s answers 400 naming the limit, not 500", async (path, handle) => {
    const res = await handle(post(path, deep, bearer()));
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ success: false, error: { code: "json_too_deep", message: expect.stringContaining("64 levels") } });
  });
});
