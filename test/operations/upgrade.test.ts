import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MIGRATIONS_FOLDER, openDatabase, type Database } from "@/db";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { migratePostgres, POSTGRES_MIGRATIONS_FOLDER } from "@/db/postgres-migrate";
import { SqliteDb } from "@/db/sqlite-client";
import { todayDay } from "@/lib/days";
import { ingestBatch } from "@/lib/server/ingest/writer";
import { recomputeAllScores } from "@/lib/server/recompute";
import { syncScores } from "@/lib/server/score-sync";
import { getRetentionSettings } from "@/lib/server/operations/retention";
import { testDialect } from "@/test/db";
import { fillOldInstallation, migrationsUpTo, tableContents } from "./old-version";

/**
 * Upgrading keeps every row: an installation made by an old version (its migrations, filled
 * with the demo company) is opened by the current code, which migrates it; every table the
 * old version had keeps its rows and their contents, and the new tables and columns start
 * with their defaults. SQLite starts from the very first migration (the first version with
 * demo data); PostgreSQL from its first released schema (before this version's migration).
 * Then (SQLite, where scoring runs today) the scores recompute to Σ weight × count from the
 * kept rollups, and new events keep them consistent with a full recompute.
 */
const today = todayDay();
const OLD_SQLITE_MIGRATIONS = 1;
const OLD_POSTGRES_MIGRATIONS = 2;

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
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const postgres = new PostgresDb(createPool(url.toString(), { max: 2 }), url.toString());
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
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    };
  }
});
afterAll(async () => cleanup());

describe(`upgrading an old installation on ${testDialect}`, () => {
  it("keeps the row count and contents of every table, and adds the new ones with their defaults", async () => {
    await fillOldInstallation(db, today);
    const oldTables = await tablesOf();
    const before = await tableContents(db, oldTables, columnsOf);
    expect(before.events?.length).toBeGreaterThan(500);
    expect(before.accounts).toHaveLength(12);

    await upgrade();

    // Columns are compared as the old version had them (the new ones are checked below).
    const oldColumns = async (table: string) => (await columnsOf(table)).filter((c) => !(table === "events" && c === "user_id"));
    expect(await tableContents(db, oldTables, oldColumns)).toEqual(before);
    expect((await tablesOf()).filter((t) => !oldTables.includes(t))).toEqual(expect.arrayContaining(["retention_settings", "job_runs"]));
    expect(await db.value<number>(sql`SELECT count(*) FROM events WHERE user_id IS NOT NULL`)).toBe(0);
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
    ingestBatch(
      database,
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
});
