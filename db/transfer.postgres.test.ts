import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDb } from "@/db/sqlite-client";
import { seedDemoUsers } from "@/lib/server/demo-users";
import { seedDemoDataSqlite as seedDemoData } from "@/lib/server/seed";
import { dayFromIsoDate } from "@/lib/days";
import { createTestDb } from "@/test/db";
import type { Db } from "./client";
import { openDatabase, type Database } from "./index";
import { PostgresDb } from "./postgres-client";
import { transferSqliteToPostgres } from "./transfer";

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

describe("db:migrate-to-postgres", () => {
  it("copies every table of the demo database and proves it row by row", async () => {
    const result = await withClient((client) => transferSqliteToPostgres(source.sqlite, client));
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
