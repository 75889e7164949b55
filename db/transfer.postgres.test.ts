import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SqliteDb } from "@/db/sqlite-client";
import { seedDemoUsers } from "@/lib/demo/server/demo-users";
import { seedDemoDataSqlite as seedDemoData } from "@/lib/demo/server/seed";
import { dayFromIsoDate } from "@/lib/days";
import { createTestDb } from "@/test/db";
import type { Db } from "./client";
import { openDatabase, type Database } from "./index";
import { createPool, PostgresDb } from "./postgres-client";
import { migratePostgres } from "./postgres-migrate";
import { copyTables, targetTables, transferSqliteToPostgres, verifyTables } from "./transfer";

/** Moving an installation (issue 15): the demo database copied into PostgreSQL and proven. */
let source: Database;
let target: Db;
let targetUrl: string;
let cleanup: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-transfer-"));
  source = openDatabase(path.join(dir, "demo.db"));
  seedDemoData(source, { accounts: 120, seed: 7, today: dayFromIsoDate("2026-11-30") });
  await seedDemoUsers(new SqliteDb(source.sqlite, source.file));
  ({ db: target, cleanup } = await createTestDb());
  if (!(target instanceof PostgresDb)) throw new Error("this test runs in the postgres project");
  targetUrl = target.url;
}, 120_000);

afterAll(async () => {
  source.sqlite.close();
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: targetUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Every index and constraint of the application's tables, as PostgreSQL prints them. */
async function schemaObjects(client: pg.Client): Promise<string[]> {
  const result = await client.query<{ line: string }>(`
    SELECT tablename::text || ': ' || indexdef AS line FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT conrelid::regclass::text || ' ' || conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT tgrelid::regclass::text || ' trigger ' || tgname || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
    ORDER BY 1`);
  return result.rows.map((r) => r.line);
}

describe("db:migrate-to-postgres", () => {
  it("copies every table of the demo database and proves it row by row", async () => {
    const schemaBefore = await withClient(schemaObjects);
    const result = await withClient((client) => transferSqliteToPostgres(source.sqlite, client));
    // Indexes and foreign keys set aside for the copy are all back, exactly as migrated.
    expect(await withClient(schemaObjects)).toEqual(schemaBefore);
    const byTable = new Map(result.tables.map((t) => [t.table, t]));
    const count = (table: string) => source.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    for (const table of ["accounts", "events", "daily_rollups", "account_scores", "score_history", "users", "auth_accounts", "renewal_outcomes", "change_markers", "config_versions"]) {
      expect(byTable.get(table)?.rows, table).toBe(count(table));
    }
    expect(byTable.get("events")?.rows).toBeGreaterThan(10_000);
    for (const report of result.tables) expect(report.targetChecksum, report.table).toBe(report.sourceChecksum);
    // The copy is not a change: no aggregate-change entries beyond those copied.
    expect(byTable.get("aggregate_changes")?.rows).toBe(count("aggregate_changes"));
  });

  it("continues every identity after the largest copied id", async () => {
    const maxId = Number(source.sqlite.prepare("SELECT max(id) FROM accounts").pluck().get());
    const id = await target.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES (${"after-move"}, ${"After the move"}) RETURNING id`);
    expect(id).toBe(maxId + 1);
    await target.run(sql`DELETE FROM accounts WHERE id = ${id ?? 0}`);
  });

  it("reads the same scores from both databases", async () => {
    const lite = source.sqlite
      .prepare("SELECT account_id AS accountId, score_hundredths AS score, band, declining FROM account_scores ORDER BY account_id")
      .all();
    const pgRows = await target.all(sql`SELECT account_id AS "accountId", score_hundredths AS score, band, declining FROM account_scores ORDER BY account_id`);
    expect(pgRows).toEqual(lite);
  });

  it("refuses a target that already holds data, naming the tables", async () => {
    await expect(withClient((client) => transferSqliteToPostgres(source.sqlite, client))).rejects.toThrow(/not empty \(rows in .*accounts/);
  });
});

/**
 * Values a naive COPY encoding gets wrong (COPY's text format gives tab, newline, backslash and
 * \\N meanings of their own), values that lose precision on the way (integers past 2^53,
 * floats printed short), NULL beside the empty string, and a blob of arbitrary bytes.
 */
describe("db:migrate-to-postgres, awkward values", () => {
  let awkward: Database;
  let awkwardTarget: Db;
  let awkwardUrl: string;
  let cleanupTarget: () => Promise<void>;

  const texts = [
    "tab\there",
    "line\nbreak and\r\nCRLF",
    "back\\slash, \\t and \\n spelled out, ends in \\",
    "\\N",
    "\\.",
    "unicode: Zoë, 東京, 🚀, \u00a0 and control \u0001\b\f\v characters",
    "",
  ];
  const floats = [0.1 + 0.2, 5e-324, 1.7976931348623157e308, -123456.789e-20, 1 / 3, 1e21, 1e-7];
  const blob = Buffer.from([0x00, 0x09, 0x0a, 0x0d, 0x5c, 0x4e, 0x22, 0x27, 0x2c, 0x7f, 0x80, 0xff, 0xfe, 0x00]);

  beforeAll(async () => {
    awkward = openDatabase(path.join(dir, "awkward.db"));
    const insert = awkward.sqlite.prepare(
      "INSERT INTO accounts (id, external_id, name, plan, region, industry, arr, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    texts.forEach((text, i) => {
      const float = floats[i % floats.length] ?? 0;
      // plan: NULL on even rows, the empty string on odd ones; region: the text; industry: the text backwards.
      insert.run(i + 1, `ext-${i}`, text, i % 2 === 0 ? null : "", text, [...text].reverse().join(""), float, 9007199254740993n + BigInt(i), -1n - BigInt(i));
    });
    insert.run(100, "ext-last", "floats only", null, null, null, floats[floats.length - 1] ?? 0, 0, 0);
    awkward.sqlite.prepare("INSERT INTO score_history (account_id, start_day, scores, config_version) VALUES (?, ?, ?, ?)").run(1, 20_000, blob, 1);
    ({ db: awkwardTarget, cleanup: cleanupTarget } = await createTestDb());
    if (!(awkwardTarget instanceof PostgresDb)) throw new Error("this test runs in the postgres project");
    awkwardUrl = awkwardTarget.url;
  }, 60_000);

  afterAll(async () => {
    awkward.sqlite.close();
    await cleanupTarget();
  });

  async function withAwkwardClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: awkwardUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  const readAccounts = (client: pg.Client) =>
    client.query({
      text: "SELECT id, external_id, name, plan, region, industry, arr, created_at::text, updated_at::text FROM accounts ORDER BY id",
      rowMode: "array",
    });

  it("refuses a value its column cannot hold, names the column, and leaves the target empty", async () => {
    awkward.sqlite.prepare("UPDATE accounts SET created_at = 'not a time' WHERE id = 3").run();
    try {
      await expect(withAwkwardClient((client) => transferSqliteToPostgres(awkward.sqlite, client))).rejects.toThrow(
        /accounts\.created_at: the text "not a time" cannot be stored in an integer column/,
      );
    } finally {
      awkward.sqlite.prepare("UPDATE accounts SET created_at = 9007199254740995 WHERE id = 3").run();
    }
    expect(await withAwkwardClient(async (client) => (await client.query("SELECT count(*)::int AS n FROM accounts")).rows[0])).toEqual({ n: 0 });
  });

  it("passes on PostgreSQL's refusal of a row with the table and line, and leaves the target empty", async () => {
    const industry = awkward.sqlite.prepare("SELECT industry FROM accounts WHERE id = 3").pluck().get();
    awkward.sqlite.prepare("UPDATE accounts SET industry = ? WHERE id = 3").run("NUL \u0000 inside"); // PostgreSQL text cannot hold it
    try {
      await expect(withAwkwardClient((client) => transferSqliteToPostgres(awkward.sqlite, client))).rejects.toThrow(
        /^accounts: invalid byte sequence for encoding "UTF8": 0x00 \(COPY accounts, line 3\)$/,
      );
    } finally {
      awkward.sqlite.prepare("UPDATE accounts SET industry = ? WHERE id = 3").run(industry);
    }
    expect(await withAwkwardClient(async (client) => (await client.query("SELECT count(*)::int AS n FROM accounts")).rows[0])).toEqual({ n: 0 });
  });

  it("stops at a copy that does not match, and keeps nothing", async () => {
    const corruptions = [
      "UPDATE accounts SET plan = '' WHERE plan IS NULL AND id = 1", // NULL became the empty string
      "UPDATE accounts SET arr = 0.3 WHERE id = 1", // 0.1 + 0.2 printed short: 0.30000000000000004 is one step away
      "UPDATE accounts SET name = name || ' ' WHERE id = 2", // a trailing space
      "UPDATE accounts SET created_at = created_at + 1 WHERE id = 1", // an integer past 2^53, off by one
      "UPDATE score_history SET scores = set_byte(scores, 13, 1)", // one byte of a blob
    ];
    for (const corruption of corruptions) {
      const tables = await withAwkwardClient((client) => targetTables(client));
      awkward.sqlite.exec("BEGIN");
      try {
        await expect(
          withAwkwardClient((client) =>
            copyTables(awkward.sqlite, client, tables, undefined, async (sources) => {
              const clean = await verifyTables(client, tables, sources);
              expect(clean.filter((r) => r.sourceChecksum !== r.targetChecksum), "before corrupting").toEqual([]);
              // The corruption is not a change either: the aggregate-change log stays as copied.
              for (const table of ["accounts", "score_history"]) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
              const changed = await client.query(corruption);
              expect(changed.rowCount, corruption).toBe(1);
              const reports = await verifyTables(client, tables, sources);
              const mismatched = reports.filter((r) => r.sourceChecksum !== r.targetChecksum).map((r) => r.table);
              throw new Error(`mismatched: ${mismatched.join(", ")} after ${corruption}`);
            }),
          ),
        ).rejects.toThrow(corruption.includes("score_history") ? /^mismatched: score_history after/ : /^mismatched: accounts after/);
      } finally {
        awkward.sqlite.exec("COMMIT");
      }
    }
    expect(await withAwkwardClient(async (client) => (await client.query("SELECT count(*)::int AS n FROM accounts")).rows[0])).toEqual({ n: 0 });
  });

  it("copies every awkward value exactly", async () => {
    const result = await withAwkwardClient((client) => transferSqliteToPostgres(awkward.sqlite, client));
    for (const report of result.tables) expect(report.targetChecksum, report.table).toBe(report.sourceChecksum);
    const copied = await withAwkwardClient(readAccounts);
    const expected = awkward.sqlite
      .prepare("SELECT id, external_id, name, plan, region, industry, arr, CAST(created_at AS TEXT), CAST(updated_at AS TEXT) FROM accounts ORDER BY id")
      .raw()
      .all();
    expect(copied.rows).toEqual(expected);
    expect(copied.rows.map((row: unknown[]) => row[2])).toEqual([...texts, "floats only"]);
    expect(copied.rows.map((row: unknown[]) => row[6]).slice(0, floats.length)).toEqual(floats);
    expect(copied.rows[0]?.[7]).toBe("9007199254740993");
    const scores = await withAwkwardClient(async (client) => (await client.query("SELECT scores FROM score_history")).rows);
    expect(scores).toEqual([{ scores: blob }]);
  });
});

/**
 * Text keys sort by the database's collation in PostgreSQL ("a" < "B" in English) but by their
 * bytes in SQLite ("B" < "a"): the check must compare rows in one order on both sides.
 */
describe("db:migrate-to-postgres into a database with a linguistic collation", () => {
  it("verifies tables with text keys", async () => {
    const keyed = openDatabase(path.join(dir, "text-keys.db"));
    const insert = keyed.sqlite.prepare("INSERT INTO applied_messages (message_id, received_at) VALUES (?, ?)");
    ["B", "a", "_c", "Ä", "b", "10", "9"].forEach((id, i) => insert.run(id, i));
    const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
    await admin.connect();
    const name = `ces_test_icu_${randomBytes(6).toString("hex")}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en' LOCALE 'C.UTF-8'`);
    const url = new URL(inject("postgresAdminUrl"));
    url.pathname = `/${name}`;
    try {
      const migrated = new PostgresDb(createPool(url.toString(), { max: 1 }), url.toString());
      await migratePostgres(migrated);
      await migrated.close();
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const result = await transferSqliteToPostgres(keyed.sqlite, client);
        const report = result.tables.find((t) => t.table === "applied_messages");
        expect(report?.rows).toBe(7);
        expect(report?.targetChecksum).toBe(report?.sourceChecksum);
      } finally {
        await client.end();
      }
    } finally {
      keyed.sqlite.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 60_000);
});
