import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { databaseUrl, runOnServer } from "@/scripts/lib/temporary-postgres";
import { MIGRATIONS_FOLDER, openDatabase, type Database } from "@/db";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { migratePostgres, POSTGRES_MIGRATIONS_FOLDER } from "@/db/postgres-migrate";
import { SqliteDb } from "@/db/sqlite-client";
import { todayDay } from "@/lib/days";
import { ingestBatch } from "@/lib/ingestion/server/writer";
import { recomputeAllScores } from "@/lib/scoring/server/recompute";
import { syncScoresSqlite as syncScores } from "@/lib/scoring/server/score-sync";
import { getRetentionSettings } from "@/lib/operations/server/retention";
import { testDialect } from "@/test/db";
import { fillOldInstallation, migrationsUpTo, tableContents } from "./old-version";
import { pinClock } from "@/test/clock";

/**
 * Upgrading keeps every row: an installation made by an old version (its migrations, filled
 * with the demo company) is opened by the current code, which migrates it; every table the
 * old version had keeps its rows and their contents, and the new tables and columns start
 * with their defaults. SQLite starts from the very first migration (the first version with
 * demo data), so every later migration runs on real rows: trait times (0008), event-name
 * matching (0009), the config_version repair (0010), standing columns (0011), the first-day
 * trigger (0012) and this version's operations (0013). PostgreSQL starts from its first
 * released schema (0000_init). Then (SQLite, where scoring runs today) the scores recompute
 * to Σ weight × count from the kept rollups, new events keep them consistent with a full
 * recompute, and what those migrations added works on the upgraded rows.
 */
const today = pinClock();
const OLD_SQLITE_MIGRATIONS = 1;
const OLD_POSTGRES_MIGRATIONS = 1;

/**
 * Columns later migrations add to tables the old version already had, with the value every
 * kept row must get. A migration that adds one must say here what old rows hold.
 */
const NEW_COLUMN_DEFAULTS: Record<typeof testDialect, Record<string, unknown>> = {
  sqlite: {
    "accounts.field_times": null,
    "event_types.held": 0,
    "events.user_id": null,
    "account_scores.first_day": null,
    "account_scores.activity": "active",
    "account_scores.previous_activity": "active",
  },
  postgres: {
    "events.user_id": null,
    "applied_messages.user_id": null,
    // Commit order (db/commit-horizon.ts): rows stored before it are followed by id.
    "events.tx": null,
    "accounts.tx": null,
    "aggregate_changes.tx": null,
    "score_sync.snapshot": null,
  },
};

let db: Db;
/** The upgraded SQLite installation, for the scoring code that still takes it. */
let upgraded: Database | null = null;
let upgrade: () => Promise<void>;
let cleanup: () => Promise<void> = async () => undefined;
let tablesOf: () => Promise<string[]>;
let columnsOf: (table: string) => Promise<string[]>;

beforeAll(async () => {
  if (testDialect === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-upgrade-"));
    const file = path.join(dir, "old.db");
    const old = openDatabase(file, { migrationsFolder: migrationsUpTo(MIGRATIONS_FOLDER, OLD_SQLITE_MIGRATIONS) });
    db = new SqliteDb(old.sqlite, file);
    tablesOf = async () =>
      (await db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'`)).map((r) => r.name);
    columnsOf = async (table) => (await db.all<{ name: string }>(sql`SELECT name FROM pragma_table_info(${table})`)).map((r) => r.name);
    upgrade = async () => {
      old.sqlite.close();
      const current = openDatabase(file);
      upgraded = current;
      db = new SqliteDb(current.sqlite, file);
    };
    cleanup = async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const adminUrl = inject("postgresAdminUrl");
    const name = `ces_upgrade_${randomBytes(5).toString("hex")}`;
    await runOnServer(adminUrl, `CREATE DATABASE ${name}`);
    const url = databaseUrl(adminUrl, name);
    const postgres = new PostgresDb(createPool(url, { max: 2 }), url);
    db = postgres;
    await migratePostgres(postgres, { migrationsFolder: migrationsUpTo(POSTGRES_MIGRATIONS_FOLDER, OLD_POSTGRES_MIGRATIONS) });
    tablesOf = async () =>
      (await db.all<{ name: string }>(sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).map(
        (r) => r.name,
      );
    columnsOf = async (table) =>
      (await db.all<{ name: string }>(sql`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table}`)).map(
        (r) => r.name,
      );
    upgrade = async () => migratePostgres(postgres);
    cleanup = async () => {
      await postgres.close();
      await runOnServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    };
  }
});
afterAll(async () => cleanup());

describe(`upgrading an old installation on ${testDialect}`, () => {
  it("keeps the row count and contents of every table, and adds the new ones with their defaults", async () => {
    await fillOldInstallation(db, today);
    const oldTables = await tablesOf();
    const columnsBefore = new Map<string, string[]>();
    for (const table of oldTables) columnsBefore.set(table, await columnsOf(table));
    // On SQLite, migration 0010 repairs config_version on purpose (checked below).
    const repaired = (table: string, column: string) => testDialect === "sqlite" && table === "scoring_settings" && column === "config_version";
    const oldColumns = async (table: string) => (columnsBefore.get(table) ?? []).filter((column) => !repaired(table, column));
    const before = await tableContents(db, oldTables, oldColumns);
    expect(before.events?.length).toBeGreaterThan(500);
    expect(before.accounts).toHaveLength(12);
    const settingsBefore = await db.value<number>(sql`SELECT config_version FROM scoring_settings WHERE id = 1`);

    await upgrade();

    // Every row of every old table keeps the columns the old version had (new ones below).
    expect(await tableContents(db, oldTables, oldColumns)).toEqual(before);
    // The one repair a migration makes on purpose: on SQLite, 0010 makes a saved version 1
    // that is not what is in force pending (config_version 0, the built-in defaults, until
    // the recompute job applies it), as the old installation's seed version is.
    const settingsAfter = await db.value<number>(sql`SELECT config_version FROM scoring_settings WHERE id = 1`);
    if (testDialect === "sqlite") expect([settingsBefore, settingsAfter]).toEqual([1, 0]);
    else expect(settingsAfter).toBe(settingsBefore);

    // The new columns of old tables hold their defaults on every kept row.
    const added: string[] = [];
    for (const table of oldTables) {
      for (const column of await columnsOf(table)) if (!(columnsBefore.get(table) ?? []).includes(column)) added.push(`${table}.${column}`);
    }
    const defaults = NEW_COLUMN_DEFAULTS[testDialect];
    expect(added.sort()).toEqual(Object.keys(defaults).sort());
    for (const [name, value] of Object.entries(defaults)) {
      const [table = "", column = ""] = name.split(".");
      const distinct = await db.all<{ value: unknown }>(sql`SELECT DISTINCT ${sql.identifier(column)} AS value FROM ${sql.identifier(table)}`);
      // Tables the old installation left empty (account_scores) have no rows to check.
      if (distinct.length > 0) expect(distinct.map((d) => d.value), name).toEqual([value]);
    }
    expect((await tablesOf()).filter((t) => !oldTables.includes(t))).toEqual(expect.arrayContaining(["retention_settings", "job_runs"]));
    expect((await getRetentionSettings(db)).rawEventMonths).toBe(13);
    expect(await db.value<number>(sql`SELECT count(*) FROM job_runs`)).toBe(0);
  });

  it.runIf(testDialect === "sqlite")("recomputes every account's score from the kept rollups, and keeps it consistent as new events arrive", async () => {
    const database = upgraded;
    if (!database) throw new Error("expected the upgraded SQLite installation");
    recomputeAllScores(database, { asOfDay: today });
    // Σ weight × count over the 30-day window ending today, worked out independently of the scoring code.
    const expected = await db.all<{ accountId: number; score: number }>(sql`
      SELECT a.id AS "accountId", coalesce(sum(r.count * t.weight_hundredths), 0) AS score
        FROM accounts a
        LEFT JOIN daily_rollups r ON r.account_id = a.id AND r.day BETWEEN ${today - 29} AND ${today}
        LEFT JOIN event_types t ON t.id = r.type_id
       GROUP BY a.id ORDER BY a.id`);
    const stored = await db.all<{ accountId: number; score: number }>(sql`SELECT account_id AS "accountId", score_hundredths AS score FROM account_scores ORDER BY account_id`);
    expect(stored).toEqual(expected);
    expect(expected.some((e) => e.score !== 0)).toBe(true);

    const [first] = expected;
    const external = await db.value<string>(sql`SELECT external_id FROM accounts WHERE id = ${first?.accountId ?? 0}`);
    const typeKey = await db.value<string>(sql`SELECT key FROM event_types ORDER BY id LIMIT 1`);
    // Early on the scores' day (never in the future, whenever the test runs).
    const occurredAt = today * 86_400_000 + 1000;
    await ingestBatch(
      new SqliteDb(database.sqlite, database.file),
      [{ ok: true, op: { kind: "event", typeKey: typeKey ?? "", typeLabel: "", groupId: external ?? "", userId: "u-1", anonymousId: null, occurredAt, day: todayDay(occurredAt), quantity: 2, messageId: "after-upgrade" } }],
      { receivedAt: Date.now() },
    );
    syncScores(database);
    const synced = await db.all(sql`SELECT * FROM account_scores ORDER BY account_id`);
    recomputeAllScores(database, { asOfDay: today });
    expect(await db.all(sql`SELECT * FROM account_scores ORDER BY account_id`)).toEqual(synced);
    const firstNow = await db.value<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${first?.accountId ?? 0}`);
    expect(firstNow).toBe((first?.score ?? 0) + 2 * 300);
  });

  it.runIf(testDialect === "sqlite")("applies what the later migrations added to the kept rows: trait times, held names, applied messages, the first-day trigger", async () => {
    const database = upgraded;
    if (!database) throw new Error("expected the upgraded SQLite installation");
    const account = await db.get<{ id: number; externalId: string }>(sql`SELECT id, external_id AS "externalId" FROM accounts ORDER BY id LIMIT 1`);
    if (!account) throw new Error("expected the demo accounts");
    const typeKey = (await db.value<string>(sql`SELECT key FROM event_types ORDER BY id LIMIT 1`)) ?? "";
    const at = Date.now() - 60_000;
    const result = await ingestBatch(
      new SqliteDb(database.sqlite, database.file),
      [
        // 0008: a group call's traits are applied by the message's own time, once per messageId.
        { ok: true, op: { kind: "account", messageId: "g-after-upgrade", groupId: account.externalId, patch: { plan: "Upgraded" }, linkIds: ["u-2"], at, applyOnce: true } },
        // 0009: a name one letter away from a kept type waits as a held type (weight 0).
        { ok: true, op: { kind: "event", typeKey: `${typeKey}s`, typeLabel: "", groupId: account.externalId, userId: "u-2", anonymousId: null, occurredAt: at, day: todayDay(at), quantity: 1, messageId: "held-after-upgrade" } },
      ],
      { receivedAt: Date.now() },
    );
    expect(result.rejected).toEqual([]);
    const kept = await db.get<{ plan: string; fieldTimes: string | null }>(sql`SELECT plan, field_times AS "fieldTimes" FROM accounts WHERE id = ${account.id}`);
    expect(kept?.plan).toBe("Upgraded");
    expect(JSON.parse(kept?.fieldTimes ?? "{}")).toMatchObject({ plan: at });
    expect(await db.all(sql`SELECT message_id, user_id FROM applied_messages`)).toEqual([{ message_id: "g-after-upgrade", user_id: "u-2" }]);
    expect(await db.get(sql`SELECT held, weight_hundredths FROM event_types WHERE key = ${`${typeKey}s`}`)).toEqual({ held: 1, weight_hundredths: 0 });
    // 0011/0012: the recompute stores each account's first day; changing its signup date clears it.
    recomputeAllScores(database, { asOfDay: today });
    expect(await db.value<number>(sql`SELECT first_day FROM account_scores WHERE account_id = ${account.id}`)).not.toBeNull();
    await db.run(sql`UPDATE accounts SET signup_date = '2001-01-01' WHERE id = ${account.id}`);
    expect(await db.value<number | null>(sql`SELECT first_day FROM account_scores WHERE account_id = ${account.id}`)).toBeNull();
  });
});
