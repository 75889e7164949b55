import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { dayFromIsoDate } from "@/lib/days";
import { HttpError } from "@/lib/http/server/http";
import { setLogSink } from "@/lib/log";
import { retentionOverview, runRetentionNow } from "@/lib/operations/server/admin";
import { runExclusive } from "@/lib/operations/server/jobs";
import { RETENTION_JOB } from "@/lib/operations/server/retention";
import { retentionJobState } from "@/lib/operations/server/retention-job";
import { createTestDb, testDialect } from "@/test/db";
import { count, insertAccount, insertEvents, insertEventType, rollupsOf, setWatermarkToLatest } from "./fixtures";

/**
 * "Apply now" (POST /api/admin/retention/run → runRetentionNow) answers as soon as the run
 * holds the job, while it still deletes: the tests hold the run between two batches (the
 * afterBatch hook) to see it running, its progress, and the 409 of a second start.
 */
let db: Db;
let cleanup: () => Promise<void>;
const today = dayFromIsoDate("2026-12-07");
const cutoff = dayFromIsoDate("2025-11-07"); // 13 months before today (the default)
let account: number;
let type: number;

/** A gate the run waits at after each batch until the test opens it. */
function gate() {
  let open: () => void = () => undefined;
  let reached: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  return {
    afterBatch: async () => {
      reached();
      await opened;
    },
    arrived,
    open: () => open(),
  };
}

async function oldEvents(): Promise<number> {
  return (await db.value<number>(sql`SELECT count(*) FROM events WHERE day < ${cutoff}`)) ?? -1;
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  account = await insertAccount(db, "acme");
  type = await insertEventType(db, "report_created");
  // 9 events before the cutoff, 3 on or after it, all reflected in the scores.
  const days = [cutoff - 400, cutoff - 300, cutoff - 30, cutoff - 30, cutoff - 5, cutoff - 3, cutoff - 2, cutoff - 1, cutoff - 1, cutoff, cutoff + 1, today];
  await insertEvents(db, type, days.map((day, i) => ({ account, day, messageId: `m${i}`, userId: "u-1" })));
  await setWatermarkToLatest(db);
  await db.run(sql`INSERT INTO pending_events (type_id, occurred_at, day, quantity, message_id, received_at, user_id) VALUES (${type}, 0, ${cutoff - 10}, 1, 'p-old', 0, 'u-9')`);
});
afterAll(async () => cleanup());

describe(`retention "Apply now" on ${testDialect}`, () => {
  it("answers while the run still deletes, refuses a second start, shows progress, and deletes exactly the old raw events", async () => {
    const rollupsBefore = await rollupsOf(db, account);
    const scoresBefore = await db.all(sql`SELECT * FROM account_scores ORDER BY account_id`);
    const held = gate();
    const { state: answer, finished } = await runRetentionNow(db, { today, batchSize: 2, afterBatch: held.afterBatch });
    expect(answer).toMatchObject({ status: "running", finishedAt: null, error: null });
    expect(answer.startedAt).toBeGreaterThan(0);

    // Held after its first batch: running, 2 of the 10 expected (9 events + 1 waiting) deleted.
    await held.arrived;
    expect(await oldEvents()).toBe(7);
    expect(await retentionJobState(db)).toMatchObject({ status: "running", done: 2, total: 10 });
    expect((await retentionOverview(db)).lastRun).toMatchObject({ status: "running", done: 2, total: 10 });
    const second = runRetentionNow(db, { today });
    await expect(second).rejects.toBeInstanceOf(HttpError);
    await expect(second).rejects.toMatchObject({ status: 409, code: "already_running" });

    held.open();
    const result = await finished;
    expect(result).toMatchObject({ deletedEvents: 9, deletedPendingEvents: 1, expectedEvents: 10 });
    expect(await retentionJobState(db)).toMatchObject({ status: "done", done: 10, total: 10, error: null });
    const left = await db.all<{ messageId: string }>(sql`SELECT message_id AS "messageId" FROM events ORDER BY id`);
    expect(left.map((e) => e.messageId)).toEqual(["m9", "m10", "m11"]);
    expect(await count(db, "pending_events")).toBe(0);
    expect(await rollupsOf(db, account)).toEqual(rollupsBefore);
    expect(await db.all(sql`SELECT * FROM account_scores ORDER BY account_id`)).toEqual(scoresBefore);
    // Nothing left to do: the next run starts and deletes nothing.
    expect(await (await runRetentionNow(db, { today })).finished).toMatchObject({ deletedEvents: 0, expectedEvents: 0 });
  });

  it("records a failure with its message and logs it; the batches before it stay deleted and the next run finishes the work", async () => {
    await insertEvents(db, type, [0, 1, 2, 3, 4].map((i) => ({ account, day: cutoff - 50 - i, messageId: `f${i}`, userId: null })));
    await setWatermarkToLatest(db);
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    const previousLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "error";
    try {
      const { finished } = await runRetentionNow(db, {
        today,
        batchSize: 2,
        afterBatch: async (run) => {
          if (run.batches === 1) throw new Error("disk I/O error");
        },
      });
      expect(await finished).toBeNull();
    } finally {
      setLogSink(null);
      if (previousLevel === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previousLevel;
    }
    expect(await retentionJobState(db)).toMatchObject({ status: "failed", error: "disk I/O error", done: 0 });
    const logged = lines.map((l) => JSON.parse(l) as { level: string; component?: string; err?: { message: string } }).find((l) => l.level === "error");
    expect(logged).toMatchObject({ component: "retention", err: { message: "disk I/O error" } });
    // The first batch committed on its own: 2 of the 5 went, 3 are still there.
    expect(await oldEvents()).toBe(3);
    expect(await (await runRetentionNow(db, { today, batchSize: 2 })).finished).toMatchObject({ deletedEvents: 3 });
    expect(await oldEvents()).toBe(0);
    expect(await retentionJobState(db)).toMatchObject({ status: "done", done: 3 });
  });

  it("does not let a run left 'running' by a server that stopped block the next one", async () => {
    await insertEvents(db, type, [{ account, day: cutoff - 70, messageId: "s0", userId: null }]);
    await setWatermarkToLatest(db);
    // What a killed server leaves: its row says running, and nobody holds the job.
    await db.run(sql`UPDATE job_runs SET status = 'running', finished_at = NULL, summary = ${JSON.stringify({ deletedEvents: 4, expectedEvents: 9 })} WHERE name = ${RETENTION_JOB}`);
    expect(await retentionJobState(db)).toMatchObject({ status: "interrupted", done: 4, total: 9 });
    const { state: answer, finished } = await runRetentionNow(db, { today });
    expect(answer.status).toBe("running");
    expect(await finished).toMatchObject({ deletedEvents: 1, expectedEvents: 1 });
    expect(await retentionJobState(db)).toMatchObject({ status: "done", done: 1, total: 1 });
  });

  it.runIf(testDialect === "postgres")("refuses to start while another server runs it, and shows that run as running", async () => {
    if (!(db instanceof PostgresDb)) throw new Error("expected PostgreSQL");
    const otherServer = new PostgresDb(createPool(db.url, { max: 2 }), db.url);
    try {
      const held = gate();
      const other = runExclusive(otherServer, RETENTION_JOB, async () => {
        await held.afterBatch();
        return { deletedEvents: 0 };
      });
      await held.arrived;
      expect(await retentionJobState(db)).toMatchObject({ status: "running" });
      await expect(runRetentionNow(db, { today })).rejects.toMatchObject({ status: 409 });
      held.open();
      await other;
      expect(await retentionJobState(db)).toMatchObject({ status: "done" });
    } finally {
      await otherServer.close();
    }
  });
});
