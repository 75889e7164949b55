import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { todayDay } from "@/lib/days";
import { handleSegmentRequest } from "@/lib/ingestion/server/handlers";
import { forgetIngestionIds } from "@/lib/ingestion/server/writer";
import { eraseAccount, eraseEndUser } from "@/lib/operations/server/erasure";
import { recomputeScores, refreshScoresOf } from "@/lib/scoring/server/recompute-db";
import { createTestDb } from "../db";
import { count, isoAgo, HOUR, newWriteKey, post, TEST_ACTOR } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

/**
 * Ingestion records who did what (events.user_id), so that erasure finds one end user's
 * events; and after an erasure the scores recompute to what a full recompute gives.
 */
let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());

let key = "";
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await db.run(sql`INSERT INTO event_types (key, label, weight_hundredths) VALUES ('report_created', 'Report created', 200)`);
  await recomputeScores(db, { asOfDay: todayDay() });
  key = await newWriteKey(db);
});

const send = (body: unknown) => handleSegmentRequest(db, post("/v1/batch", body, { key }), "batch");
const track = (messageId: string, ids: { userId?: string; anonymousId?: string; groupId?: string }) => ({
  type: "track",
  event: "Report Created",
  messageId,
  timestamp: isoAgo(2 * HOUR),
  ...(ids.userId ? { userId: ids.userId } : {}),
  ...(ids.anonymousId ? { anonymousId: ids.anonymousId } : {}),
  ...(ids.groupId ? { context: { groupId: ids.groupId } } : {}),
});

function scoresOf() {
  return db.all<{ account_id: number; score_hundredths: number }>(sql`SELECT account_id, score_hundredths FROM account_scores ORDER BY account_id`);
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
    const rows = await db.all(sql`SELECT message_id, user_id FROM events ORDER BY message_id`);
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
    const senders = () => db.all(sql`SELECT message_id, user_id FROM applied_messages ORDER BY message_id`);
    expect(await senders()).toEqual([
      { message_id: "al1", user_id: "u-42" },
      { message_id: "g1", user_id: "u-42" },
      { message_id: "i-anon", user_id: "anon-3" },
      { message_id: "i1", user_id: "u-late" },
    ]);
    // Erasing someone else leaves them alone; erasing the anonymous id takes its message.
    const anonymous = await eraseEndUser(db, TEST_ACTOR, "anon-3");
    expect(anonymous.messages).toBe(1);
    expect(await senders()).toEqual([
      { message_id: "al1", user_id: "u-42" },
      { message_id: "g1", user_id: "u-42" },
      { message_id: "i1", user_id: "u-late" },
    ]);
  });

  it("recomputes scores after erasing an end user to exactly what a full recompute gives", async () => {
    const before = await scoresOf();
    expect(before[0]?.score_hundredths).toBe(800);
    const erased = await eraseEndUser(db, TEST_ACTOR, "u-42");
    expect(erased.messages).toBe(2);
    expect(await count(db, "SELECT count(*) FROM applied_messages WHERE user_id = 'u-42'")).toBe(0);
    await refreshScoresOf(db, erased.accountIds);
    const after = await scoresOf();
    expect(after[0]?.score_hundredths).toBe(600);
    await recomputeScores(db, { asOfDay: todayDay() });
    expect(await scoresOf()).toEqual(after);
  });

  it("creates an erased account anew when events for it arrive later", async () => {
    const acme = await count(db, "SELECT id FROM accounts WHERE external_id = 'acme'");
    const erased = await eraseAccount(db, TEST_ACTOR, acme);
    // u-late's identify went with the account's links.
    expect(erased?.messages).toBe(1);
    expect(await count(db, "SELECT count(*) FROM applied_messages")).toBe(0);
    forgetIngestionIds();
    const response = await send({ batch: [track("t9", { userId: "u-1", groupId: "acme" })] });
    expect(response.status).toBe(200);
    expect(await count(db, "SELECT count(*) FROM accounts WHERE external_id = 'acme' AND id <> ?", acme)).toBe(1);
    expect(await count(db, "SELECT count(*) FROM events")).toBe(1);
  });
});
