import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MS_PER_DAY } from "@/lib/days";
import type { MapResult } from "@/lib/ingest/segment";
import { ingestBatch } from "@/lib/server/ingest/writer";
import { recomputeAllScores } from "@/lib/server/recompute";
import { syncScoresSqlite as syncScores } from "@/lib/server/score-sync";
import { teamsCacheStats } from "@/lib/server/teams/dataset-cache";
import { getSegments } from "@/lib/server/teams/queries";
import { SqliteDb } from "@/db/sqlite-client";
import { createTestDatabase } from "./db";

/**
 * The team views follow scores that move with ingested events: the score sync tells their
 * cache which accounts changed, and the cache reloads just those.
 */
const { db, cleanup } = createTestDatabase();
/** Ingestion and the team views go through the data layer (the same connection); the score sync is still on the legacy handle. */
const data = new SqliteDb(db.sqlite, db.file);
const views = data;
afterAll(cleanup);

const TODAY = 20_600;

function invite(messageId: string, groupId: string): MapResult {
  const occurredAt = TODAY * MS_PER_DAY + 3_600_000;
  return {
    ok: true,
    op: { kind: "event", messageId, typeKey: "colleague_invited", typeLabel: "Colleague invited", occurredAt, day: TODAY, quantity: 1, groupId, userId: null, anonymousId: null },
  };
}

beforeAll(async () => {
  db.sqlite.prepare("INSERT INTO event_types (key, label, weight_hundredths) VALUES ('colleague_invited', 'Colleague invited', 1000)").run();
  const account = db.sqlite.prepare("INSERT INTO accounts (external_id, name, plan) VALUES (?, ?, ?)");
  account.run("s-1", "Starter One", "Starter");
  account.run("s-2", "Starter Two", "Starter");
  account.run("g-1", "Growth One", "Growth");
  await ingestBatch(data, [invite("m-1", "s-1"), invite("m-2", "s-1"), invite("m-3", "g-1")], { receivedAt: TODAY * MS_PER_DAY });
  recomputeAllScores(db, { asOfDay: TODAY });
});

describe("team views under ingestion", () => {
  it("show a synced score change at once, reloading only the accounts it moved", async () => {
    const starter = async () => (await getSegments(views, { dimension: "plan" }))?.segments.find((s) => s.key === "Starter");
    // Starter: 20 and 0 points, mean 10.
    expect((await starter())?.meanHundredths).toBe(1000);
    const before = teamsCacheStats(views);

    await ingestBatch(data, [invite("m-4", "s-2"), invite("m-5", "s-2"), invite("m-6", "s-2"), invite("m-7", "s-2")], { receivedAt: TODAY * MS_PER_DAY + 7_200_000 });
    expect(syncScores(db)).toMatchObject({ mode: "incremental", accounts: 1 });

    // Starter: 20 and 40 points, mean 30.
    expect((await starter())?.meanHundredths).toBe(3000);
    const after = teamsCacheStats(views);
    expect(after.fullLoads).toBe(before.fullLoads);
    expect(after.incrementalLoads).toBe(before.incrementalLoads + 1);
  });
});
