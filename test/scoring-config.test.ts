import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createPool, isPostgresDb, PostgresDb } from "@/db/postgres-client";
import { BANDS } from "@/lib/scoring/bands";
import { recomputeScores } from "@/lib/scoring/server/recompute-db";
import { applyScoresOnce, recomputeJobState, startRecompute } from "@/lib/scoring/server/recompute-job";
import {
  ConfigError,
  eventTypesWithStats,
  listConfigVersions,
  loadConfigChangeMarkers,
  loadConfigInForce,
  loadScoringPreview,
  restoreConfigVersion,
  saveConfigVersion,
} from "@/lib/scoring/server/scoring-config";
import { seedDemoData } from "@/lib/demo/server/seed";
import { createTestDb, testDialect } from "./db";
import { storeEvents } from "./score-events";
import { pinClock } from "@/test/clock";

let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());
const TODAY = pinClock();
const actor = { id: "u1", name: "Ada Admin" };

async function storedBandCounts() {
  const rows = await db.all<{ band: string; n: number }>(sql`SELECT band, count(*) AS n FROM account_scores GROUP BY band`);
  return Object.fromEntries(BANDS.map((b) => [b, rows.find((r) => r.band === b)?.n ?? 0]));
}

async function configNow() {
  const { version: _v, ...config } = await loadConfigInForce(db);
  return config;
}

async function withWeight(key: string, weightHundredths: number) {
  const config = await configNow();
  return { ...config, types: { ...config.types, [key]: { weightHundredths, active: true } } };
}

async function versionsStored(): Promise<number[]> {
  return (await db.all<{ v: number }>(sql`SELECT DISTINCT config_version AS v FROM account_scores ORDER BY v`)).map((r) => r.v);
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await seedDemoData(db, { accounts: 150, seed: 3, today: TODAY });
});

describe("event type statistics", () => {
  it("reports volume in the window and shares of points that add up to 1", async () => {
    const stats = await eventTypesWithStats(db);
    const sessions = stats.find((t) => t.key === "session_started");
    const expected = await db.value<number>(
      sql`SELECT sum(count) FROM daily_rollups r JOIN event_types t ON t.id = r.type_id WHERE t.key = 'session_started' AND day BETWEEN ${TODAY - 29} AND ${TODAY}`,
    );
    expect(sessions?.volume).toBe(expected);
    expect(sessions?.pointsHundredths).toBe((sessions?.volume ?? 0) * 120);
    expect(stats.reduce((s, t) => s + t.share, 0)).toBeCloseTo(1, 10);
  });
});

describe("preview", () => {
  it("changes nothing for the configuration in force, and its 'before' is what is stored", async () => {
    const p = await loadScoringPreview(db, await configNow());
    expect(p.changedScore).toBe(0);
    expect(p.movedBand).toBe(0);
    expect(p.bandCountsBefore).toEqual(await storedBandCounts());
    expect(p.changes).toEqual([]);
  });

  it("predicts exactly the bands that saving and recomputing then produce", async () => {
    const edited = await withWeight("session_started", 300);
    const p = await loadScoringPreview(db, edited);
    expect(p.movedBand).toBeGreaterThan(0);
    expect(p.changes).toEqual([{ kind: "weight", key: "session_started", from: 120, to: 300 }]);

    const version = await saveConfigVersion(db, actor, edited, "Sessions matter more");
    const job = startRecompute(db, TODAY);
    // Until the job finishes, readers keep the previous consistent scores.
    expect(await versionsStored()).toEqual([1]);
    // SQLite's job is running as soon as it is started; PostgreSQL's first claims the work.
    if (testDialect === "sqlite") expect(recomputeJobState()).toMatchObject({ status: "running", versionId: version });
    const state = await job;
    expect(state).toMatchObject({ status: "done", versionId: version, done: 150 });

    expect(await storedBandCounts()).toEqual(p.bandCountsAfter);
    expect(await versionsStored()).toEqual([version]);
    expect(await db.value<number>(sql`SELECT weight_hundredths FROM event_types WHERE key = 'session_started'`)).toBe(300);
    // The daily history was rewritten with the new weights too: it equals a recompute from scratch.
    const histories = () => db.all(sql`SELECT account_id, start_day, config_version, scores FROM score_history ORDER BY account_id`);
    const written = await histories();
    await recomputeScores(db, { asOfDay: TODAY });
    expect(await histories()).toEqual(written);
  });
});

describe("saving", () => {
  it("refuses unknown event types and unchanged configurations, naming the problem", async () => {
    const config = await configNow();
    await expect(saveConfigVersion(db, actor, { ...config, types: { ...config.types, nope: { weightHundredths: 1, active: true } } }, "")).rejects.toThrow(ConfigError);
    await expect(saveConfigVersion(db, actor, config, "")).rejects.toMatchObject({ status: 409 });
  });

  it("catches up events that arrive while the recompute runs", async () => {
    const accountId = (await db.value<number>(sql`SELECT min(id) FROM accounts`)) ?? -1;
    const invite = (await db.value<number>(sql`SELECT id FROM event_types WHERE key = 'colleague_invited'`)) ?? -1;
    const scoreNow = () => db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${accountId}`);
    const before = await scoreNow();
    await saveConfigVersion(db, actor, await withWeight("colleague_invited", 1000), "Invitations count more");
    const job = startRecompute(db, TODAY);
    // An ingestion commits while the job runs: 3 invitations today.
    await storeEvents(
      db,
      [0, 1, 2].map((i) => ({ accountId, typeId: invite, day: TODAY, quantity: 1, messageId: `late-${i}` })),
    );
    await job;
    const invitesInWindow = await db.value<number>(
      sql`SELECT coalesce(sum(count), 0) FROM daily_rollups WHERE account_id = ${accountId} AND type_id = ${invite} AND day BETWEEN ${TODAY - 29} AND ${TODAY}`,
    );
    expect(invitesInWindow).toBeGreaterThanOrEqual(3);
    expect(await scoreNow()).not.toBe(before);
    const check = await loadScoringPreview(db, await configNow());
    expect(check.changedScore).toBe(0); // stored scores equal scoring from scratch, late events included
  });
});

describe("history and restore", () => {
  it("lists versions newest first with their changes and status, and restores as a new version", async () => {
    const versions = await listConfigVersions(db);
    expect(versions.map((v) => v.status)).toEqual(["in_force", "superseded", "superseded"]);
    expect(versions[1]?.changes).toEqual([{ kind: "weight", key: "session_started", from: 120, to: 300 }]);
    expect(versions[1]?.reason).toBe("Sessions matter more");

    const restored = await restoreConfigVersion(db, actor, 1);
    expect((await listConfigVersions(db))[0]).toMatchObject({ id: restored, status: "pending", reason: "Restore of version 1" });
    await startRecompute(db, TODAY);
    const inForce = await loadConfigInForce(db);
    expect(inForce.types.session_started?.weightHundredths).toBe(120);
    expect(inForce.version).toBe(restored);
    expect((await loadConfigChangeMarkers(db)).map((m) => m.version)).toEqual([2, 3, restored]);
    const audit = await db.all<{ action: string }>(sql`SELECT action FROM audit_log ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(["scoring.save", "scoring.save", "scoring.restore"]);
  });

  it("refuses to restore a version that does not exist", async () => {
    await expect(restoreConfigVersion(db, actor, 999)).rejects.toThrow(/no configuration version 999/);
  });
});

// Two servers on one PostgreSQL database are two connection pools; SQLite is one process's file.
describe.runIf(testDialect === "postgres")("two servers on one database", () => {
  it("apply a saved version once between them, and readers see only complete scores", async () => {
    if (!isPostgresDb(db)) throw new Error("PostgreSQL expected");
    const other = new PostgresDb(createPool(db.url, { max: 4 }), db.url);
    try {
      const accounts = (await db.value<number>(sql`SELECT count(*) FROM accounts`)) ?? 0;
      const version = await saveConfigVersion(db, actor, await withWeight("session_started", 50), "Sessions matter less");
      const state = sql`SELECT count(DISTINCT config_version) AS versions, min(config_version) AS version, sum(score_hundredths) AS total, count(*) AS n FROM account_scores`;
      type State = { versions: number; version: number; total: number; n: number };
      const before = await db.get<State>(state);
      const changesBefore = (await db.value<number>(sql`SELECT count(*) FROM aggregate_changes`)) ?? 0;

      // A reader on the second server polls while both servers are asked to apply the version.
      const seen: State[] = [];
      let applying = true;
      const reader = (async () => {
        while (applying) {
          const now = await other.get<State>(state);
          if (now) seen.push(now);
        }
      })();
      const results = await Promise.all([applyScoresOnce(db, TODAY), applyScoresOnce(other, TODAY)]);
      applying = false;
      await reader;

      expect(results.filter((r) => r !== null)).toEqual([{ versionId: version, accounts }]);
      // A run logs each account twice for the team views (its score, and its history by the
      // history trigger): one run, not two.
      expect(await db.value<number>(sql`SELECT count(*) FROM aggregate_changes`)).toBe(changesBefore + 2 * accounts);
      expect(await db.value<number>(sql`SELECT count(*) FROM score_configuration_changes WHERE config_version = ${version}`)).toBeLessThanOrEqual(1);
      const after = await db.get<State>(state);
      expect(after).toMatchObject({ versions: 1, version, n: accounts });
      expect(after?.total).not.toBe(before?.total);
      expect(seen.length).toBeGreaterThan(0);
      for (const s of seen) expect([before, after]).toContainEqual(s);
      // Nothing is left to apply on either server.
      expect(await applyScoresOnce(other, TODAY)).toBeNull();
      expect(await startRecompute(other, TODAY)).toBeNull();
    } finally {
      await other.close();
    }
  });
});
