import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDb } from "@/db/sqlite-client";
import { todayDay } from "@/lib/days";
import { handleSegmentRequest } from "@/lib/server/ingest/handlers";
import { forgetIngestionIds } from "@/lib/server/ingest/writer";
import { eraseAccount, eraseEndUser } from "@/lib/server/operations/erasure";
import { recomputeAllScores, refreshAccountScores } from "@/lib/server/recompute";
import { createTestDatabase } from "../db";
import { countSync, isoAgo, HOUR, newWriteKey, post, TEST_ACTOR } from "./helpers";

/**
 * Ingestion records who did what (events.user_id), so that erasure finds one end user's
 * events; and after an erasure the scores recompute to what a full recompute gives.
 */
const { db, cleanup } = createTestDatabase();
/** The data-layer handle on the same connection, for ingestion (this file checks scores, which run on SQLite only so far). */
const data = new SqliteDb(db.sqlite, db.file);
const dataLayer = new SqliteDb(db.sqlite, db.file);
afterAll(cleanup);

let key = "";
beforeAll(async () => {
  db.sqlite.prepare("INSERT INTO event_types (key, label, weight_hundredths) VALUES ('report_created', 'Report created', 200)").run();
  recomputeAllScores(db, { asOfDay: todayDay() });
  key = await newWriteKey(data);
});

const send = (body: unknown) => handleSegmentRequest(data, post("/v1/batch", body, { key }), "batch");
const track = (messageId: string, ids: { userId?: string; anonymousId?: string; groupId?: string }) => ({
  type: "track",
  event: "Report Created",
  messageId,
  timestamp: isoAgo(2 * HOUR),
  ...(ids.userId ? { userId: ids.userId } : {}),
  ...(ids.anonymousId ? { anonymousId: ids.anonymousId } : {}),
  ...(ids.groupId ? { context: { groupId: ids.groupId } } : {}),
});

function scoresOf(): { account_id: number; score_hundredths: number }[] {
  return db.sqlite.prepare("SELECT account_id, score_hundredths FROM account_scores ORDER BY account_id").all() as { account_id: number; score_hundredths: number }[];
}

describe("erasure against ingested data", () => {
  it("stores the sender's user id (else anonymous id) with each event, also for events that waited for a link", async () => {
    await send({
      batch: [
        { type: "group", userId: "u-42", groupId: "acme", traits: { name: "Acme" }, messageId: "g1" },
        track("t1", { userId: "u-42" }),
        track("t2", { anonymousId: "anon-9", groupId: "acme" }),
        track("t3", { userId: "u-7", groupId: "acme" }),
        track("t4", { userId: "u-late" }),
      ],
    });
    await send({ batch: [{ type: "identify", userId: "u-late", traits: { company: { id: "acme" } }, messageId: "i1" }] });
    const rows = db.sqlite.prepare("SELECT message_id, user_id FROM events ORDER BY message_id").all();
    expect(rows).toEqual([
      { message_id: "t1", user_id: "u-42" },
      { message_id: "t2", user_id: "anon-9" },
      { message_id: "t3", user_id: "u-7" },
      { message_id: "t4", user_id: "u-late" },
    ]);
  });

  it("stores the sender with each applied identify, group and alias message, and erases them with that end user", async () => {
    await send({
      batch: [
        { type: "identify", anonymousId: "anon-3", traits: { email: "x@example.com" }, messageId: "i-anon" },
        { type: "alias", userId: "u-42", previousId: "anon-3", messageId: "al1" },
      ],
    });
    const senders = () => db.sqlite.prepare("SELECT message_id, user_id FROM applied_messages ORDER BY message_id").all();
    expect(senders()).toEqual([
      { message_id: "al1", user_id: "u-42" },
      { message_id: "g1", user_id: "u-42" },
      { message_id: "i-anon", user_id: "anon-3" },
      { message_id: "i1", user_id: "u-late" },
    ]);
    // Erasing someone else leaves them alone; erasing the anonymous id takes its message.
    const anonymous = await eraseEndUser(dataLayer, TEST_ACTOR, "anon-3");
    expect(anonymous.messages).toBe(1);
    expect(senders()).toEqual([
      { message_id: "al1", user_id: "u-42" },
      { message_id: "g1", user_id: "u-42" },
      { message_id: "i1", user_id: "u-late" },
    ]);
  });

  it("recomputes scores after erasing an end user to exactly what a full recompute gives", async () => {
    const before = scoresOf();
    expect(before[0]?.score_hundredths).toBe(800);
    const erased = await eraseEndUser(dataLayer, TEST_ACTOR, "u-42");
    expect(erased.messages).toBe(2);
    expect(countSync(db, "SELECT count(*) FROM applied_messages WHERE user_id = 'u-42'")).toBe(0);
    refreshAccountScores(db, erased.accountIds);
    const after = scoresOf();
    expect(after[0]?.score_hundredths).toBe(600);
    recomputeAllScores(db, { asOfDay: todayDay() });
    expect(scoresOf()).toEqual(after);
  });

  it("creates an erased account anew when events for it arrive later", async () => {
    const acme = db.sqlite.prepare("SELECT id FROM accounts WHERE external_id = 'acme'").pluck().get() as number;
    const erased = await eraseAccount(dataLayer, TEST_ACTOR, acme);
    // u-late's identify went with the account's links.
    expect(erased?.messages).toBe(1);
    expect(countSync(db, "SELECT count(*) FROM applied_messages")).toBe(0);
    forgetIngestionIds();
    const response = await send({ batch: [track("t9", { userId: "u-1", groupId: "acme" })] });
    expect(response.status).toBe(200);
    expect(countSync(db, "SELECT count(*) FROM accounts WHERE external_id = 'acme' AND id <> ?", acme)).toBe(1);
    expect(countSync(db, "SELECT count(*) FROM events")).toBe(1);
  });
});
