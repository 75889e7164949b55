import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { checkReadiness, RECOMPUTE_STUCK_MS } from "@/lib/operations/server/health";
import { runExclusive } from "@/lib/operations/server/jobs";
import { renderMetrics, SCHEDULED_JOBS } from "@/lib/operations/server/metrics";
import type { RecomputeJobState } from "@/lib/scoring/server/recompute-job";
import { createTestDb, testDialect } from "@/test/db";

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

function metricValue(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no ${name} in:\n${text.slice(0, 2000)}`);
  return Number(line.split(" ")[1]);
}

const idle: RecomputeJobState = { status: "idle", versionId: null, done: 0, total: 0, startedAt: null, finishedAt: null, error: null };

describe(`database metrics and readiness on ${testDialect}`, () => {
  it("reports the database size, waiting events and how late each scheduled job is", async () => {
    await db.run(sql`INSERT INTO event_types (key, label) VALUES ('login', 'Login')`);
    await db.run(sql`INSERT INTO pending_events (type_id, occurred_at, day, quantity, message_id, received_at, user_id) VALUES (1, 0, 1, 1, 'p1', 0, 'u'), (1, 0, 1, 1, 'p2', 0, 'u')`);
    const every = SCHEDULED_JOBS.retention ?? 0;
    await runExclusive(db, "retention", async () => ({ deletedEvents: 0 }));
    const { body, contentType } = await renderMetrics(db, Date.now() + every + 90_000);
    expect(contentType).toContain("text/plain");
    expect(metricValue(body, "ces_database_size_bytes")).toBeGreaterThan(10_000);
    expect(metricValue(body, "ces_pending_events")).toBe(2);
    // Due an hour after its last run; scraped 90 s past that.
    expect(metricValue(body, 'ces_job_lag_seconds{job="retention"}')).toBeGreaterThanOrEqual(89);
    expect(metricValue(body, 'ces_job_lag_seconds{job="retention"}')).toBeLessThan(95);
    expect(metricValue(body, 'ces_job_last_success_timestamp_seconds{job="retention"}')).toBeGreaterThan(1_700_000_000);
    const onTime = await renderMetrics(db);
    expect(metricValue(onTime.body, 'ces_job_lag_seconds{job="retention"}')).toBe(0);
  });

  it("is ready when the database answers and is migrated, and not while shutting down or with a stuck recompute", async () => {
    const ready = await checkReadiness(db, { shuttingDown: false, recompute: idle });
    expect(ready.ready).toBe(true);
    expect(ready.checks.map((c) => [c.name, c.ok])).toEqual([
      ["database", true],
      ["migrations", true],
      ["recompute", true],
      ["shutdown", true],
    ]);
    expect((await checkReadiness(db, { shuttingDown: true, recompute: idle })).ready).toBe(false);
    const now = Date.now();
    const stuck = { ...idle, status: "running" as const, startedAt: new Date(now - RECOMPUTE_STUCK_MS - 60_000).toISOString() };
    const notReady = await checkReadiness(db, { shuttingDown: false, recompute: stuck, now });
    expect(notReady.ready).toBe(false);
    expect(notReady.checks.find((c) => c.name === "recompute")?.detail).toBe("a full recompute has run for 31 minutes");
    const running = { ...stuck, startedAt: new Date(now - 60_000).toISOString() };
    expect((await checkReadiness(db, { shuttingDown: false, recompute: running, now })).ready).toBe(true);
  });

  it("is not ready when a migration is missing", async () => {
    const table = testDialect === "sqlite" ? sql`__drizzle_migrations` : sql`drizzle.__drizzle_migrations`;
    await db.run(sql`DELETE FROM ${table} WHERE created_at = (SELECT max(created_at) FROM ${table})`);
    const readiness = await checkReadiness(db, { shuttingDown: false, recompute: idle });
    expect(readiness.ready).toBe(false);
    expect(readiness.checks.find((c) => c.name === "migrations")?.ok).toBe(false);
  });
});
