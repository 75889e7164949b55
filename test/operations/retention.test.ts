import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { dayFromIsoDate } from "@/lib/days";
import { applyRetention, getRetentionSettings, previewRetention, saveRetentionSettings } from "@/lib/operations/server/retention";
import { createTestDb, testDialect } from "@/test/db";
import { ADMIN, count, insertAccount, insertEvents, insertEventType, rollupsOf, setWatermarkToLatest } from "./fixtures";

let db: Db;
let cleanup: () => Promise<void>;
const today = dayFromIsoDate("2026-12-07");
const cutoff = dayFromIsoDate("2025-11-07"); // 13 months before today
let account: number;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  account = await insertAccount(db, "acme");
  const type = await insertEventType(db, "report_created");
  // 7 events before the cutoff (two on the same day), 3 on or after it.
  const days = [cutoff - 400, cutoff - 30, cutoff - 30, cutoff - 3, cutoff - 2, cutoff - 1, cutoff - 1, cutoff, cutoff + 1, today];
  await insertEvents(
    db,
    type,
    days.map((day, i) => ({ account, day, messageId: `m${i}`, userId: "u-1" })),
  );
  await setWatermarkToLatest(db);
  // One more old event the scores do not reflect yet (a backfill): retention must wait for it.
  await insertEvents(db, type, [{ account, day: cutoff - 5, messageId: "late", userId: null }]);
  await db.run(sql`INSERT INTO pending_events (type_id, occurred_at, day, quantity, message_id, received_at, user_id) VALUES
    (${type}, 0, ${cutoff - 10}, 1, 'p-old', 0, 'u-9'), (${type}, 0, ${today}, 1, 'p-new', 0, 'u-9')`);
});
afterAll(async () => cleanup());

describe(`raw-event retention on ${testDialect}`, () => {
  it("keeps raw events 13 months by default", async () => {
    expect((await getRetentionSettings(db)).rawEventMonths).toBe(13);
  });

  it("previews what a setting would delete, before it is saved", async () => {
    expect(await previewRetention(db, { months: 13, today })).toEqual({ months: 13, cutoffDay: cutoff, events: 8, pendingEvents: 1 });
    expect(await previewRetention(db, { months: null, today })).toEqual({ months: null, cutoffDay: null, events: 0, pendingEvents: 0 });
    // Counted a week at a time from the oldest day: a cutoff right after a week's end, and one that takes all but today's.
    expect((await previewRetention(db, { months: 13, today: today + 1 })).events).toBe(9);
    expect((await previewRetention(db, { months: 1, today })).events).toBe(10);
    expect(await count(db, "events")).toBe(11);
  });

  it("saves the setting with an audit entry", async () => {
    await saveRetentionSettings(db, ADMIN, { rawEventMonths: 24 });
    expect((await getRetentionSettings(db)).rawEventMonths).toBe(24);
    const entry = await db.get<{ action: string; details: string; actor: string }>(
      sql`SELECT action, details, actor_name AS actor FROM audit_log WHERE action = 'retention.save'`,
    );
    expect(entry?.actor).toBe("Ada Admin");
    expect(JSON.parse(entry?.details ?? "{}")).toEqual({ rawEventMonths: { from: 13, to: 24 } });
    await saveRetentionSettings(db, ADMIN, { rawEventMonths: 13 });
  });

  it("deletes old raw events in small batches, keeps rollups, and leaves events the scores do not reflect yet", async () => {
    const rollupsBefore = await rollupsOf(db, account);
    const run = await applyRetention(db, { today, batchSize: 2 });
    expect(run).toMatchObject({ cutoffDay: cutoff, deletedEvents: 7, deletedPendingEvents: 1 });
    // 7 events in batches of 2: 4 delete statements for events, 1 for pending events.
    expect(run.batches).toBe(5);
    const left = await db.all<{ messageId: string }>(sql`SELECT message_id AS "messageId" FROM events ORDER BY id`);
    expect(left.map((e) => e.messageId)).toEqual(["m7", "m8", "m9", "late"]);
    expect(await db.all(sql`SELECT message_id FROM pending_events`)).toEqual([{ message_id: "p-new" }]);
    expect(await rollupsOf(db, account)).toEqual(rollupsBefore);
  });

  it("deletes nothing more when run again, nor when raw events are kept for ever", async () => {
    expect((await applyRetention(db, { today })).deletedEvents).toBe(0);
    await saveRetentionSettings(db, ADMIN, { rawEventMonths: null });
    expect(await applyRetention(db, { today: today + 10_000 })).toMatchObject({ cutoffDay: null, deletedEvents: 0 });
    expect(await count(db, "events")).toBe(4);
  });
});
