import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { MS_PER_DAY } from "@/lib/days";
import type { MapResult } from "@/lib/ingestion/segment";
import { ingestBatch } from "@/lib/ingestion/server/writer";
import { recomputeScores } from "@/lib/scoring/server/recompute-db";
import { syncScores } from "@/lib/scoring/server/score-sync";
import { teamsCacheStats } from "@/lib/teams/server/dataset-cache";
import { getSegments, getTrends } from "@/lib/teams/server/queries";
import { createTestDb } from "./db";

/**
 * The team db follow scores that move with ingested events: the score sync tells their
 * cache which accounts changed, and the cache reloads just those.
 */
let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());

const TODAY = 20_600;

function invite(messageId: string, groupId: string): MapResult {
  const occurredAt = TODAY * MS_PER_DAY + 3_600_000;
  return {
    ok: true,
    op: { kind: "event", messageId, typeKey: "colleague_invited", typeLabel: "Colleague invited", occurredAt, day: TODAY, quantity: 1, groupId, userId: null, anonymousId: null },
  };
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await db.run(sql`INSERT INTO event_types (key, label, weight_hundredths) VALUES ('colleague_invited', 'Colleague invited', 1000)`);
  await db.run(sql`INSERT INTO accounts (external_id, name, plan) VALUES ('s-1', 'Starter One', 'Starter'), ('s-2', 'Starter Two', 'Starter'), ('g-1', 'Growth One', 'Growth')`);
  await ingestBatch(db, [invite("m-1", "s-1"), invite("m-2", "s-1"), invite("m-3", "g-1")], { receivedAt: TODAY * MS_PER_DAY });
  await recomputeScores(db, { asOfDay: TODAY });
});

describe("team db under ingestion", () => {
  it("show a synced score change at once, reloading only the accounts it moved", async () => {
    const starter = async () => (await getSegments(db, { dimension: "plan" }))?.segments.find((s) => s.key === "Starter");
    const todaysMean = async () => (await getTrends(db, { range: 30, metric: "mean" }))?.series[0]?.mean.at(-1);
    // Starter: 20 and 0 points, mean 10; all three: 20, 0 and 10, mean 10.
    expect((await starter())?.meanHundredths).toBe(1000);
    expect(await todaysMean()).toBe(1000);
    const before = teamsCacheStats(db);

    await ingestBatch(db, [invite("m-4", "s-2"), invite("m-5", "s-2"), invite("m-6", "s-2"), invite("m-7", "s-2")], { receivedAt: TODAY * MS_PER_DAY + 7_200_000 });
    expect(await syncScores(db)).toMatchObject({ mode: "incremental", accounts: 1 });

    // Starter: 20 and 40 points, mean 30; all three: 20, 40 and 10.
    expect((await starter())?.meanHundredths).toBe(3000);
    expect(await todaysMean()).toBe(2333.33); // 7000 / 3, to the hundredth of a point
    const after = teamsCacheStats(db);
    expect(after.fullLoads).toBe(before.fullLoads);
    expect(after.incrementalLoads).toBe(before.incrementalLoads + 1);
    // Only today's figures moved: the year before today and the segments' members were kept.
    expect(after.closedVersion).toBe(before.closedVersion);
  });

  it("move an account to its new segment when its plan changes, even though its score did not", async () => {
    const plan = async () => new Map((await getSegments(db, { dimension: "plan" }))?.segments.map((s) => [s.key, s.accounts]));
    expect(await plan()).toEqual(new Map([["Starter", 2], ["Growth", 1]]));
    const before = teamsCacheStats(db);

    await db.run(sql`UPDATE accounts SET plan = 'Growth' WHERE external_id = 's-2'`);

    expect(await plan()).toEqual(new Map([["Growth", 2], ["Starter", 1]]));
    const trend = await getTrends(db, { range: 30, metric: "mean", dimension: "plan", segments: ["Growth"] });
    // Growth today: g-1 at 10 points and s-2 at 40.
    expect(trend?.series[0]?.accounts.at(-1)).toBe(2);
    expect(trend?.series[0]?.mean.at(-1)).toBe(2500);
    const after = teamsCacheStats(db);
    expect(after.fullLoads).toBe(before.fullLoads);
    expect(after.closedVersion).toBe((before.closedVersion ?? 0) + 1);
  });
});
