import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, openDatabase } from "@/db";
import { SqliteDb } from "@/db/sqlite-client";
import { todayDay } from "@/lib/days";
import { handleNativeEvents } from "@/lib/ingestion/server/handlers";
import { startRecomputeSqlite as startRecompute } from "@/lib/scoring/server/recompute-job";
import { configInForce, listConfigVersions, pendingConfigVersion, saveConfigVersion } from "@/lib/scoring/server/scoring-config";
import { getScoringSettings } from "@/lib/scoring/server/settings";
import { getSetupChecklist, getSetupFacts } from "@/lib/setup/server/setup";
import { createFirstAdmin, createUser } from "@/lib/auth/server/users";
import { createTestDatabase } from "./db";
import { newWriteKey, post } from "./ingest/helpers";
import { pinClock } from "@/test/clock";

pinClock();

/**
 * A real installation's first minutes: an empty database (no demo), the first administrator,
 * data sent with a write key, then the first weights saved. The first save must take effect
 * like every later one (issue 13, item 1: it used to be recorded and silently never applied).
 */
const { db, cleanup } = createTestDatabase();
const data = new SqliteDb(db.sqlite, db.file);
afterAll(cleanup);

const scoreOf = (externalId: string) =>
  db.sqlite.prepare("SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ?").pluck().get(externalId) as
    | number
    | undefined;

describe("the first weights save on an empty installation", () => {
  it("starts with no saved version and the built-in defaults in force", () => {
    expect(db.sqlite.prepare("SELECT count(*) FROM config_versions").pluck().get()).toBe(0);
    expect(getScoringSettings(db).configVersion).toBe(0);
  });

  it("is applied: the weights are in force and the scores reflect them", async () => {
    const admin = await createFirstAdmin(data, { input: { name: "Ada Admin", email: "ada@example.com", password: "a-long-password" } });
    const key = await newWriteKey(data);
    const now = new Date().toISOString();
    const sent = await handleNativeEvents(
      data,
      post(
        "/api/v1/events",
        {
          events: [
            { messageId: "m-1", accountId: "first-customer", event: "Report Created", timestamp: now },
            { messageId: "m-2", accountId: "first-customer", event: "Report Created", timestamp: now },
            { messageId: "m-3", accountId: "first-customer", event: "Ticket Opened", timestamp: now },
          ],
        },
        { authorization: `Bearer ${key}` },
      ),
    );
    expect(sent.status).toBe(200);
    // Events bring their types in with weight 0: the account scores 0 until weights are set.
    await startRecompute(db, todayDay());
    expect(scoreOf("first-customer")).toBe(0);

    const { version: _inForce, ...config } = configInForce(db);
    const types = Object.keys(config.types);
    expect(types.sort()).toEqual(["report_created", "ticket_opened"]);
    const weighted = {
      ...config,
      types: { report_created: { weightHundredths: 1250, active: true }, ticket_opened: { weightHundredths: -300, active: true } },
    };
    const versionId = await saveConfigVersion(data, { id: admin.id, name: admin.name }, weighted, "First weights");
    const job = startRecompute(db, todayDay());
    expect(job).not.toBeNull();
    expect(await job).toMatchObject({ status: "done", versionId });

    expect(getScoringSettings(db).configVersion).toBe(versionId);
    expect(configInForce(db).types).toEqual(weighted.types);
    expect(scoreOf("first-customer")).toBe(2 * 1250 - 300);
    const [saved] = await listConfigVersions(data);
    expect(saved).toMatchObject({ id: versionId, status: "in_force", reason: "First weights" });
    // The history says what the first save changed: against the built-in defaults (weight 0).
    expect(saved?.changes).toEqual([
      { kind: "weight", key: "report_created", from: 0, to: 1250 },
      { kind: "weight", key: "ticket_opened", from: 0, to: -300 },
    ]);
  });
});

/**
 * Databases created before the fix started at config_version 1 with no versions. Opening one
 * repairs it (migration 0010): a save that was never applied becomes pending, and a version 1
 * that is really in force (the demo seed's) stays in force.
 */
describe("an existing database from before the fix", () => {
  function oldDatabase(): { dir: string; file: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-old-"));
    const migrations = path.join(dir, "migrations");
    fs.mkdirSync(path.join(migrations, "meta"), { recursive: true });
    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
    const upTo = journal.entries.findIndex((e) => e.tag.endsWith("_config_version_zero"));
    const kept = journal.entries.slice(0, upTo);
    for (const entry of kept) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(migrations, `${entry.tag}.sql`));
    fs.writeFileSync(path.join(migrations, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: kept }));
    const file = path.join(dir, "old.db");
    openDatabase(file, { migrationsFolder: migrations }).sqlite.close();
    return { dir, file };
  }

  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  function withOldDatabase(prepare: (sqlite: BetterSqlite3.Database) => void) {
    const { dir, file } = oldDatabase();
    dirs.push(dir);
    const sqlite = new BetterSqlite3(file);
    expect(sqlite.prepare("SELECT config_version FROM scoring_settings").pluck().get()).toBe(1);
    prepare(sqlite);
    sqlite.close();
    return openDatabase(file);
  }

  const settings = { windowDays: 30, compareDays: 30, thresholds: { churnRiskMax: 0, mediumFrom: 40, highFrom: 80, powerAbove: 100 }, decline: { declinePercent: 20, declinePoints: 10 } };

  it("with nothing saved: the defaults are in force (version 0)", () => {
    const old = withOldDatabase(() => undefined);
    expect(getScoringSettings(old).configVersion).toBe(0);
    old.sqlite.close();
  });

  it("with a first save that was never applied: it becomes pending and the recompute job applies it", async () => {
    const old = withOldDatabase((sqlite) => {
      sqlite.prepare("INSERT INTO event_types (key, label, weight_hundredths) VALUES ('report_created', 'Report created', 0)").run();
      sqlite
        .prepare("INSERT INTO config_versions (created_by, reason, snapshot) VALUES ('Ada', 'First weights', ?)")
        .run(JSON.stringify({ settings, types: { report_created: { weightHundredths: 500, active: true } } }));
    });
    expect(getScoringSettings(old).configVersion).toBe(0);
    expect(pendingConfigVersion(old)?.id).toBe(1);
    expect(await startRecompute(old, todayDay())).toMatchObject({ status: "done", versionId: 1 });
    expect(configInForce(old).types.report_created?.weightHundredths).toBe(500);
    old.sqlite.close();
  });

  it("with a version 1 that is in force (the demo seed's): nothing changes", () => {
    const old = withOldDatabase((sqlite) => {
      sqlite.prepare("INSERT INTO event_types (key, label, weight_hundredths, active) VALUES ('report_created', 'Report created', 200, 1), ('old', 'Old', 0, 0)").run();
      sqlite.prepare("INSERT INTO config_versions (created_by, reason, snapshot) VALUES ('demo seed', 'Default demo weights', ?)").run(
        JSON.stringify({ settings, types: { report_created: { weightHundredths: 200, active: true }, old: { weightHundredths: 0, active: false } } }),
      );
    });
    expect(getScoringSettings(old).configVersion).toBe(1);
    expect(pendingConfigVersion(old)).toBeNull();
    old.sqlite.close();
  });
});

describe("the setup checklist on a real installation", () => {
  it("follows the database step by step", async () => {
    const { db: fresh, cleanup: done } = createTestDatabase();
    try {
      const freshData = new SqliteDb(fresh.sqlite, fresh.file);
      const steps = async () => Object.fromEntries((await getSetupChecklist(freshData)).steps.map((s) => [s.id, s.done]));
      const admin = await createFirstAdmin(freshData, { input: { name: "Ada Admin", email: "ada@example.com", password: "a-long-password" } });
      expect(await steps()).toEqual({ data: false, weights: false, team: false, outcomes: false });

      const key = await newWriteKey(freshData);
      expect(await getSetupFacts(freshData)).toMatchObject({ activeWriteKeys: 1, usedWriteKeys: 0 });
      const now = new Date().toISOString();
      await handleNativeEvents(freshData, post("/api/v1/events", { events: [{ messageId: "s-1", accountId: "acme", event: "Report Created", timestamp: now }] }, { key }));
      expect(await steps()).toMatchObject({ data: true, weights: false });
      expect(await getSetupFacts(freshData)).toMatchObject({ usedWriteKeys: 1, accounts: 1, hasEvents: true, eventTypes: 1, weightedEventTypes: 0 });

      const { version: _v, ...config } = configInForce(fresh);
      await saveConfigVersion(freshData, { id: admin.id, name: admin.name }, { ...config, types: { report_created: { weightHundredths: 500, active: true } } }, "");
      // Saved but not applied yet: not done until the weights are in force.
      expect((await steps()).weights).toBe(false);
      await startRecompute(fresh, todayDay());
      expect((await steps()).weights).toBe(true);

      await createUser(freshData, {
        actor: { id: admin.id, name: admin.name },
        input: { name: "Manny Manager", email: "manny@example.com", password: "another-long-password", role: "manager", accountManagerName: null },
      });
      expect(await getSetupChecklist(freshData)).toMatchObject({ complete: true, done: 3, next: "outcomes" });
    } finally {
      done();
    }
  });
});
