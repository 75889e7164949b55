import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyDatabaseOn } from "@/db";
import type { Db } from "@/db/client";
import { onSqlite } from "@/db/sqlite-client";
import { todayDay } from "@/lib/days";
import type { ScoringConfig } from "@/lib/scoring/config";
import { startRecompute } from "@/lib/scoring/server/recompute-job";
import { getScoringAdminView } from "@/lib/scoring/server/scoring-admin";
import {
  ConfigError,
  configInForce,
  eventTypeLabels,
  eventTypesWithStats,
  listConfigVersions,
  loadConfigChangeMarkers,
  loadConfigInForce,
  loadPendingConfigVersion,
  loadScoringPreview,
  previewScoringChange,
  restoreConfigVersion,
  saveConfigVersion,
} from "@/lib/scoring/server/scoring-config";
import { loadScoringSettings, loadWeightTable } from "@/lib/scoring/server/settings";
import { getSetupChecklist, getSetupFacts } from "@/lib/setup/server/setup";
import { createTestDb, testDialect } from "./db";
import { pinClock } from "@/test/clock";

/**
 * The scoring configuration on the data layer, on the database of this test run (SQLite or
 * PostgreSQL): what is in force, the weights editor's figures, saving, history, restore and
 * the preview, against a small hand-made data set whose figures are worked out below.
 */
let db: Db;
let cleanup: () => Promise<void>;
const TODAY = pinClock();
const actor = { id: "u1", name: "Ada Admin" };
const typeIds: Record<string, number> = {};
const accountIds: Record<string, number> = {};

async function insertType(key: string, label: string, weight: number, active: number): Promise<void> {
  const id = await db.value<number>(sql`INSERT INTO event_types (key, label, weight_hundredths, active) VALUES (${key}, ${label}, ${weight}, ${active}) RETURNING id`);
  if (id === undefined) throw new Error("no id");
  typeIds[key] = id;
}

async function insertAccount(externalId: string, name: string): Promise<void> {
  const id = await db.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES (${externalId}, ${name}) RETURNING id`);
  if (id === undefined) throw new Error("no id");
  accountIds[externalId] = id;
}

async function rollup(account: string, type: string, daysAgo: number, count: number): Promise<void> {
  await db.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (${TODAY - daysAgo}, ${accountIds[account]}, ${typeIds[type]}, ${count})`);
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  // Labels chosen so that case-insensitive order differs from byte order ("apple" < "Banana" < "cherry").
  await insertType("report_created", "Banana report", 200, 1);
  await insertType("ticket_opened", "apple ticket", -100, 1);
  await insertType("old_signal", "cherry (retired)", 50, 0);
  await insertAccount("acme", "Acme");
  await insertAccount("globex", "Globex");
  await insertAccount("initech", "Initech");
  // In the 30-day window (today − 29 … today):
  //   acme: 3 + 2 reports, 1 ticket, 4 of the retired signal; globex: 1 ticket; initech: nothing.
  // Outside it: acme 10 reports 30 days ago (the first day before the window).
  await rollup("acme", "report_created", 0, 3);
  await rollup("acme", "report_created", 29, 2);
  await rollup("acme", "ticket_opened", 5, 1);
  await rollup("acme", "old_signal", 1, 4);
  await rollup("globex", "ticket_opened", 2, 1);
  await rollup("acme", "report_created", 30, 10);
});
afterAll(async () => cleanup());

const withWeight = (config: ScoringConfig, key: string, weightHundredths: number): ScoringConfig => ({
  ...config,
  types: { ...config.types, [key]: { weightHundredths, active: true } },
});

async function inForce(): Promise<ScoringConfig> {
  const { version: _v, ...config } = await loadConfigInForce(db);
  return config;
}

describe("the configuration in force", () => {
  it("reads the settings, the weights (inactive types weigh 0) and the types in name order", async () => {
    expect(await loadScoringSettings(db)).toEqual({
      windowDays: 30,
      compareDays: 30,
      thresholds: { churnRiskMax: 0, mediumFrom: 40, highFrom: 80, powerAbove: 100 },
      decline: { declinePercent: 20, declinePoints: 10 },
      configVersion: 0,
    });
    expect(await loadWeightTable(db)).toEqual(
      new Map([
        [typeIds.report_created, 200],
        [typeIds.ticket_opened, -100],
        [typeIds.old_signal, 0],
      ]),
    );
    const config = await loadConfigInForce(db);
    expect(config.version).toBe(0);
    expect(config.types).toEqual({
      report_created: { weightHundredths: 200, active: true },
      ticket_opened: { weightHundredths: -100, active: true },
      old_signal: { weightHundredths: 50, active: false },
    });
    expect(Object.values(await eventTypeLabels(db))).toEqual(["apple ticket", "Banana report", "cherry (retired)"]);
  });

  it("gives the weights editor each type's volume in the window and its share of points", async () => {
    const stats = await eventTypesWithStats(db);
    // Reports: 3 + 2 = 5 in the window, 5 × 200 = 1000; tickets: 2, 2 × −100 = −200; retired: 4, inactive → 0 points.
    expect(stats.map((t) => [t.key, t.volume, t.pointsHundredths])).toEqual([
      ["ticket_opened", 2, -200],
      ["report_created", 5, 1000],
      ["old_signal", 4, 0],
    ]);
    // Shares of |points|: 200 / 1200 and 1000 / 1200.
    expect(stats.map((t) => t.share)).toEqual([200 / 1200, 1000 / 1200, 0]);
    expect(stats.find((t) => t.key === "old_signal")).toMatchObject({ active: false, isNew: false, held: false });
  });

  it("assembles the weights editor's view: nothing pending, scores as of today", async () => {
    const view = await getScoringAdminView(db);
    expect(view).toMatchObject({ version: 0, pendingVersion: null, suggestions: {} });
    expect(view.types).toHaveLength(3);
    expect(view.config.settings.windowDays).toBe(30);
  });
});

describe("the preview", () => {
  it("changes nothing for the configuration in force", async () => {
    const p = await loadScoringPreview(db, await inForce());
    expect(p.changedScore).toBe(0);
    expect(p.changes).toEqual([]);
    // acme 5 × 200 − 1 × 100 = 900 hundredths (9 points, low); globex −100 (churn risk); initech 0 (churn risk).
    expect(p.bandCountsBefore).toMatchObject({ churn_risk: 2, low: 1 });
    expect(p.meanBeforeHundredths).toBeCloseTo((900 - 100 + 0) / 3, 10);
  });

  it("scores every account under the edited weights and names the accounts that move", async () => {
    // Reports at 10 points: acme 5 × 1000 − 100 = 4900 hundredths (49 points: medium).
    const p = await loadScoringPreview(db, withWeight(await inForce(), "report_created", 1000));
    expect(p.changes).toEqual([{ kind: "weight", key: "report_created", from: 200, to: 1000 }]);
    expect(p.changedScore).toBe(1);
    expect(p.movedBand).toBe(1);
    expect(p.biggestMovesNamed).toEqual([
      { accountId: accountIds.acme, name: "Acme", beforeHundredths: 900, afterHundredths: 4900, bandBefore: "low", bandAfter: "medium" },
    ]);
  });

  it.runIf(testDialect === "sqlite")("is the same through the analysis workers' synchronous path", async () => {
    const edited = withWeight(await inForce(), "ticket_opened", -2500);
    const legacy = await onSqlite(db, (sqlite) => {
      const database = legacyDatabaseOn(sqlite);
      return { preview: previewScoringChange(database, edited), config: configInForce(database) };
    });
    expect(legacy?.preview).toEqual(await loadScoringPreview(db, edited));
    expect(legacy?.config).toEqual(await loadConfigInForce(db));
  });
});

describe("saving, history and restore", () => {
  it("refuses unknown event types and unchanged configurations, naming the problem", async () => {
    const config = await inForce();
    await expect(saveConfigVersion(db, actor, withWeight(config, "nope", 100), "")).rejects.toMatchObject({ status: 400, field: "types.nope" });
    await expect(saveConfigVersion(db, actor, config, "")).rejects.toBeInstanceOf(ConfigError);
    await expect(saveConfigVersion(db, actor, config, "")).rejects.toMatchObject({ status: 409 });
    expect(await db.value(sql`SELECT count(*) FROM config_versions`)).toBe(0);
    expect(await db.value(sql`SELECT count(*) FROM audit_log`)).toBe(0);
  });

  it("saves a version with its audit entry; it is pending until applied", async () => {
    const id = await saveConfigVersion(db, actor, withWeight(await inForce(), "report_created", 300), "  Reports matter more ");
    const pending = await loadPendingConfigVersion(db);
    expect(pending?.id).toBe(id);
    expect(pending?.config.types.report_created).toEqual({ weightHundredths: 300, active: true });
    const [version] = await listConfigVersions(db);
    expect(version).toMatchObject({ id, status: "pending", createdBy: "Ada Admin", reason: "Reports matter more" });
    // The first version is described against the built-in defaults (every weight 0, inactive types included).
    expect(version?.changes).toEqual([
      { kind: "weight", key: "old_signal", from: 0, to: 50 },
      { kind: "active", key: "old_signal", from: true, to: false },
      { kind: "weight", key: "report_created", from: 0, to: 300 },
      { kind: "weight", key: "ticket_opened", from: 0, to: -100 },
    ]);
    const audit = await db.all<{ action: string; target: string; details: string }>(sql`SELECT action, target, details FROM audit_log`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "scoring.save", target: `config_version:${id}` });
    expect(JSON.parse(audit[0]?.details ?? "{}")).toMatchObject({ reason: "Reports matter more", changes: [{ kind: "weight", key: "report_created", from: 200, to: 300 }] });
    // Saved, not applied: the setup checklist's weights step waits for the recompute.
    expect((await getSetupChecklist(db)).steps.find((s) => s.id === "weights")?.done).toBe(false);
    expect((await getScoringAdminView(db)).pendingVersion).toBe(id);
  });

  it("restores an old version as a new one, and lists the applied ones as change markers", async () => {
    const second = await saveConfigVersion(db, actor, withWeight(await inForce(), "ticket_opened", -400), "Tickets hurt");
    // As the recompute job does when it applies a version (applyConfigVersion).
    await db.run(sql`UPDATE scoring_settings SET config_version = ${second} WHERE id = 1`);
    const restored = await restoreConfigVersion(db, actor, second - 1);
    const versions = await listConfigVersions(db);
    expect(versions.map((v) => [v.id, v.status])).toEqual([
      [restored, "pending"],
      [second, "in_force"],
      [second - 1, "superseded"],
    ]);
    expect(versions[0]?.reason).toBe(`Restore of version ${second - 1}`);
    expect((await loadPendingConfigVersion(db))?.config.types.report_created?.weightHundredths).toBe(300);
    const markers = await loadConfigChangeMarkers(db);
    expect(markers.map((m) => [m.version, m.reason])).toEqual([[second, "Tickets hurt"]]);
    expect(markers[0]?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await db.all(sql`SELECT action FROM audit_log ORDER BY id`)).toEqual([{ action: "scoring.save" }, { action: "scoring.save" }, { action: "scoring.restore" }]);
    await expect(restoreConfigVersion(db, actor, 999)).rejects.toMatchObject({ status: 404, field: "id" });
  });

  it("applies the pending version with the recompute: afterwards nothing is 'being applied'", async () => {
    const pending = (await getScoringAdminView(db)).pendingVersion;
    expect(pending).not.toBeNull();
    // What the save and restore routes start after answering.
    expect(await startRecompute(db, todayDay())).toMatchObject({ status: "done", versionId: pending });
    const view = await getScoringAdminView(db);
    expect(view).toMatchObject({ version: pending, pendingVersion: null, job: { status: "done", versionId: pending } });
    expect((await db.all<{ v: number }>(sql`SELECT DISTINCT config_version AS v FROM account_scores`)).map((r) => r.v)).toEqual([pending]);
  });
});

describe("the setup facts", () => {
  it("count what a new installation has", async () => {
    expect(await getSetupFacts(db)).toEqual({
      activeWriteKeys: 0,
      usedWriteKeys: 0,
      accounts: 3,
      hasEvents: false,
      eventTypes: 3,
      weightedEventTypes: 2,
      configVersion: expect.any(Number),
      activeUsers: 0,
      renewalOutcomes: 0,
    });
  });
});
