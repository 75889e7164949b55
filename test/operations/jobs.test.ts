import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { isJobHeld, listJobRuns, recordJobProgress, runExclusive } from "@/lib/operations/server/jobs";
import { sql } from "drizzle-orm";
import { createTestDb, testDialect } from "@/test/db";

let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

describe(`scheduled jobs on ${testDialect}`, () => {
  it("runs a job once at a time and records each run", async () => {
    let release: () => void = () => undefined;
    const first = runExclusive(db, "retention", () => new Promise<{ deleted: number }>((resolve) => (release = () => resolve({ deleted: 3 }))));
    // Wait until the first run holds the lock (its start is recorded).
    for (let i = 0; i < 100 && (await listJobRuns(db)).length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(await runExclusive(db, "retention", async () => ({ deleted: 0 }))).toEqual({ ran: false, reason: "already-running" });
    expect((await listJobRuns(db))[0]?.status).toBe("running");
    release();
    expect(await first).toEqual({ ran: true, result: { deleted: 3 } });
    const [run] = await listJobRuns(db);
    expect(run).toMatchObject({ name: "retention", status: "done", summary: JSON.stringify({ deleted: 3 }) });
    expect(run?.finishedAt).toBeGreaterThanOrEqual(run?.startedAt ?? Infinity);
    expect(await runExclusive(db, "retention", async () => 1)).toEqual({ ran: true, result: 1 });
  });

  it.runIf(testDialect === "postgres")("runs once across servers: another server's run holds the advisory lock", async () => {
    if (!(db instanceof PostgresDb)) throw new Error("expected PostgreSQL");
    const otherServer = new PostgresDb(createPool(db.url, { max: 2 }), db.url);
    try {
      let release: () => void = () => undefined;
      const first = runExclusive(db, "retention", () => new Promise<string>((resolve) => (release = () => resolve("first"))));
      for (let i = 0; i < 100 && (await listJobRuns(db)).find((r) => r.name === "retention")?.status !== "running"; i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(await runExclusive(otherServer, "retention", async () => "second")).toEqual({ ran: false, reason: "already-running" });
      release();
      expect(await first).toEqual({ ran: true, result: "first" });
      expect(await runExclusive(otherServer, "retention", async () => "second")).toEqual({ ran: true, result: "second" });
    } finally {
      await otherServer.close();
    }
  });

  it("records a failed run and lets the next one run", async () => {
    await expect(runExclusive(db, "broken", async () => Promise.reject(new Error("disk full")))).rejects.toThrow("disk full");
    const broken = (await listJobRuns(db)).find((r) => r.name === "broken");
    expect(broken).toMatchObject({ status: "failed", summary: JSON.stringify({ error: "disk full" }) });
    expect(await runExclusive(db, "broken", async () => "ok")).toEqual({ ran: true, result: "ok" });
  });

  it("does not let a row left 'running' by a server that stopped block the next run, which starts afresh", async () => {
    await runExclusive(db, "stale", async () => ({ deleted: 7 }));
    await db.run(sql`UPDATE job_runs SET status = 'running', finished_at = NULL, summary = '{"deleted":2}' WHERE name = 'stale'`);
    expect(await isJobHeld(db, "stale")).toBe(false);
    let release: () => void = () => undefined;
    let startedRun: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (startedRun = resolve));
    const run = runExclusive(db, "stale", async () => {
      startedRun();
      await new Promise<void>((resolve) => (release = resolve));
      return { deleted: 1 };
    });
    await started;
    expect(await isJobHeld(db, "stale")).toBe(true);
    expect((await listJobRuns(db)).find((r) => r.name === "stale")).toMatchObject({ status: "running", finishedAt: null, summary: "{}" });
    await recordJobProgress(db, "stale", { deleted: 0.5 });
    expect((await listJobRuns(db)).find((r) => r.name === "stale")?.summary).toBe(JSON.stringify({ deleted: 0.5 }));
    release();
    expect(await run).toEqual({ ran: true, result: { deleted: 1 } });
    expect(await isJobHeld(db, "stale")).toBe(false);
    expect((await listJobRuns(db)).find((r) => r.name === "stale")).toMatchObject({ status: "done", summary: JSON.stringify({ deleted: 1 }) });
  });
});
