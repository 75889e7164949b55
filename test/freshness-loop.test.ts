import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayDay } from "@/lib/days";
import { runFreshnessCheck } from "@/lib/server/freshness-loop";
import { beginIngestion } from "@/lib/server/ingest/score-scheduler";
import { recomputeAllScores } from "@/lib/server/recompute";
import { teamsCacheStats } from "@/lib/server/teams/dataset-cache";
import { SqliteDb } from "@/db/sqlite-client";
import { createTestDatabase } from "./db";

const { db, cleanup } = createTestDatabase();
/** The team views' cache is on the data layer: a handle on the same connection shares it. */
const views = new SqliteDb(db.sqlite, db.file);
afterAll(cleanup);

beforeAll(() => {
  db.sqlite.prepare("INSERT INTO event_types (key, label, weight_hundredths) VALUES ('session_started', 'Session started', 100)").run();
  db.sqlite.prepare("INSERT INTO accounts (external_id, name, plan) VALUES ('a-1', 'Account 1', 'Starter')").run();
  recomputeAllScores(db, { asOfDay: todayDay() });
});

describe("the freshness loop", () => {
  it("warms the team views while ingestion is quiet, and leaves them alone while events stream in", async () => {
    expect(await runFreshnessCheck(db)).toEqual({ warmed: true });
    const loads = teamsCacheStats(views).fullLoads;
    expect(loads).toBeGreaterThan(0);

    const end = beginIngestion(db);
    end();
    expect(await runFreshnessCheck(db)).toEqual({ warmed: false });
    expect(teamsCacheStats(views).fullLoads).toBe(loads);
  });
});
