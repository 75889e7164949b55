import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDb } from "@/db/sqlite-client";
import { todayDay } from "@/lib/days";
import { BANDS } from "@/lib/scoring/bands";
import { recomputeAllScores } from "@/lib/server/recompute";
import { recomputeJobState, startRecompute } from "@/lib/server/recompute-job";
import {
  ConfigError,
  configChangeMarkers,
  configInForce,
  eventTypesWithStats,
  listConfigVersions,
  previewScoringChange,
  restoreConfigVersion,
  saveConfigVersion,
} from "@/lib/server/scoring-config";
import { seedDemoData } from "@/lib/server/seed";
import { createTestDatabase } from "./db";

const { db, cleanup } = createTestDatabase();
const data = new SqliteDb(db.sqlite, db.file);
afterAll(cleanup);
const TODAY = todayDay();
const actor = { id: "u1", name: "Ada Admin" };

function storedBandCounts() {
  const rows = db.sqlite.prepare("SELECT band, count(*) AS n FROM account_scores GROUP BY band").all() as { band: string; n: number }[];
  return Object.fromEntries(BANDS.map((b) => [b, rows.find((r) => r.band === b)?.n ?? 0]));
}

function withWeight(key: string, weightHundredths: number) {
  const { version: _v, ...config } = configInForce(db);
  return { ...config, types: { ...config.types, [key]: { weightHundredths, active: true } } };
}

beforeAll(() => {
  seedDemoData(db, { accounts: 150, seed: 3, today: TODAY });
});

describe("event type statistics", () => {
  it("reports volume in the window and shares of points that add up to 1", async () => {
    const stats = await eventTypesWithStats(data);
    const sessions = stats.find((t) => t.key === "session_started");
    const expected = db.sqlite
      .prepare("SELECT sum(count) FROM daily_rollups r JOIN event_types t ON t.id = r.type_id WHERE t.key = 'session_started' AND day BETWEEN ? AND ?")
      .pluck()
      .get(TODAY - 29, TODAY);
    expect(sessions?.volume).toBe(expected);
    expect(sessions?.pointsHundredths).toBe((sessions?.volume ?? 0) * 120);
    expect(stats.reduce((s, t) => s + t.share, 0)).toBeCloseTo(1, 10);
  });
});

describe("preview", () => {
  it("changes nothing for the configuration in force, and its 'before' is what is stored", () => {
    const { version: _v, ...config } = configInForce(db);
    const p = previewScoringChange(db, config);
    expect(p.changedScore).toBe(0);
    expect(p.movedBand).toBe(0);
    expect(p.bandCountsBefore).toEqual(storedBandCounts());
    expect(p.changes).toEqual([]);
  });

  it("predicts exactly the bands that saving and recomputing then produce", async () => {
    const edited = withWeight("session_started", 300);
    const p = previewScoringChange(db, edited);
    expect(p.movedBand).toBeGreaterThan(0);
    expect(p.changes).toEqual([{ kind: "weight", key: "session_started", from: 120, to: 300 }]);

    const version = await saveConfigVersion(data, actor, edited, "Sessions matter more");
    const job = startRecompute(db, TODAY);
    expect(job).not.toBeNull();
    // Until the job finishes, readers keep the previous consistent scores.
    expect(db.sqlite.prepare("SELECT DISTINCT config_version FROM account_scores").pluck().all()).toEqual([1]);
    expect(recomputeJobState()).toMatchObject({ status: "running", versionId: version });
    const state = await job;
    expect(state).toMatchObject({ status: "done", versionId: version, done: 150 });

    expect(storedBandCounts()).toEqual(p.bandCountsAfter);
    expect(db.sqlite.prepare("SELECT DISTINCT config_version FROM account_scores").pluck().all()).toEqual([version]);
    expect(db.sqlite.prepare("SELECT weight_hundredths FROM event_types WHERE key = 'session_started'").pluck().get()).toBe(300);
    // The daily history was rewritten with the new weights too: it equals a recompute from scratch.
    const histories = () => db.sqlite.prepare("SELECT account_id, start_day, config_version, hex(scores) FROM score_history ORDER BY account_id").all();
    const written = histories();
    recomputeAllScores(db, { asOfDay: TODAY });
    expect(histories()).toEqual(written);
  });
});

describe("saving", () => {
  it("refuses unknown event types and unchanged configurations, naming the problem", async () => {
    const { version: _v, ...config } = configInForce(db);
    await expect(saveConfigVersion(data, actor, { ...config, types: { ...config.types, nope: { weightHundredths: 1, active: true } } }, "")).rejects.toThrow(
      ConfigError,
    );
    await expect(saveConfigVersion(data, actor, config, "")).rejects.toMatchObject({ status: 409 });
  });

  it("catches up events that arrive while the recompute runs", async () => {
    const accountId = db.sqlite.prepare("SELECT min(id) FROM accounts").pluck().get() as number;
    const invite = db.sqlite.prepare("SELECT id FROM event_types WHERE key = 'colleague_invited'").pluck().get() as number;
    const before = db.sqlite.prepare("SELECT score_hundredths FROM account_scores WHERE account_id = ?").pluck().get(accountId) as number;
    await saveConfigVersion(data, actor, withWeight("colleague_invited", 1000), "Invitations count more");
    const job = startRecompute(db, TODAY);
    // An ingestion commits between chunks: 3 invitations today.
    db.sqlite.transaction(() => {
      for (let i = 0; i < 3; i++) {
        db.sqlite
          .prepare("INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at) VALUES (?, ?, ?, ?, 1, ?, ?)")
          .run(accountId, invite, TODAY * 86_400_000, TODAY, `late-${i}`, Date.now());
      }
      db.sqlite
        .prepare("INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, 3) ON CONFLICT DO UPDATE SET count = count + 3")
        .run(TODAY, accountId, invite);
    })();
    await job;
    const after = db.sqlite.prepare("SELECT score_hundredths FROM account_scores WHERE account_id = ?").pluck().get(accountId) as number;
    const invitesInWindow = db.sqlite
      .prepare("SELECT coalesce(sum(count), 0) FROM daily_rollups WHERE account_id = ? AND type_id = ? AND day BETWEEN ? AND ?")
      .pluck()
      .get(accountId, invite, TODAY - 29, TODAY) as number;
    expect(invitesInWindow).toBeGreaterThanOrEqual(3);
    expect(after).not.toBe(before);
    const check = previewScoringChange(db, (({ version: _v, ...c }) => c)(configInForce(db)));
    expect(check.changedScore).toBe(0); // stored scores equal scoring from scratch, late events included
  });
});

describe("history and restore", () => {
  it("lists versions newest first with their changes and status, and restores as a new version", async () => {
    const versions = await listConfigVersions(data);
    expect(versions.map((v) => v.status)).toEqual(["in_force", "superseded", "superseded"]);
    expect(versions[1]?.changes).toEqual([{ kind: "weight", key: "session_started", from: 120, to: 300 }]);
    expect(versions[1]?.reason).toBe("Sessions matter more");

    const restored = await restoreConfigVersion(data, actor, 1);
    expect((await listConfigVersions(data))[0]).toMatchObject({ id: restored, status: "pending", reason: "Restore of version 1" });
    await startRecompute(db, TODAY);
    expect(configInForce(db).types.session_started?.weightHundredths).toBe(120);
    expect(configInForce(db).version).toBe(restored);
    expect(configChangeMarkers(db).map((m) => m.version)).toEqual([2, 3, restored]);
    const audit = db.sqlite.prepare("SELECT action FROM audit_log ORDER BY id").pluck().all();
    expect(audit).toEqual(["scoring.save", "scoring.save", "scoring.restore"]);
  });

  it("refuses to restore a version that does not exist", async () => {
    await expect(restoreConfigVersion(data, actor, 999)).rejects.toThrow(/no configuration version 999/);
  });
});
