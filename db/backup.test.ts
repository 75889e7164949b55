import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDialect } from "@/test/db";
import { backupDatabase, checkBackup, restoreDatabase } from "./backup";
import type { Db } from "./client";
import type { DatabaseConfig } from "./env";
import { PostgresDb } from "./postgres-client";
import { SqliteDb } from "./sqlite-client";

/**
 * A backup taken while events keep being written holds every event committed before the
 * backup started; it restores into an empty installation only. On the database of this run.
 */
let source: { db: Db; cleanup: () => Promise<void> };
let target: { db: Db; cleanup: () => Promise<void> };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-backup-test-"));

function configOf(db: Db, sqliteFile?: string): DatabaseConfig {
  if (db instanceof PostgresDb) return { kind: "postgres", url: db.url, poolSize: 2 };
  if (db instanceof SqliteDb) return { kind: "sqlite", file: sqliteFile ?? db.file };
  throw new Error("unknown database");
}

beforeAll(async () => {
  source = await createTestDb();
  target = await createTestDb();
});
afterAll(async () => {
  await source.cleanup();
  await target.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`backup and restore on ${testDialect}`, () => {
  const backupFile = path.join(dir, testDialect === "sqlite" ? "ces.backup.db" : "ces.dump");
  const restoredSqlite = path.join(dir, "restored", "ces.db");
  let ackedBeforeBackup: string[] = [];
  let ackedInAll: string[] = [];

  it("takes a backup while events are written continuously", async () => {
    const { db } = source;
    const account = await db.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES ('acme', 'Acme') RETURNING id`);
    const type = await db.value<number>(sql`INSERT INTO event_types (key, label) VALUES ('login', 'Login') RETURNING id`);
    const acked: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const messageId = `m-${i}`;
        await db.transaction(async (tx) => {
          await tx.run(sql`INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at)
            VALUES (${account}, ${type}, ${i}, 1, 1, ${messageId}, ${Date.now()})`);
          await tx.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (1, ${account}, ${type}, 1)
            ON CONFLICT (day, account_id, type_id) DO UPDATE SET count = daily_rollups.count + 1`);
        });
        acked.push(messageId); // committed: "acknowledged"
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    while (acked.length < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    ackedBeforeBackup = [...acked];
    await backupDatabase(configOf(db), backupFile);
    const afterBackup = acked.length;
    while (acked.length < afterBackup + 50) await new Promise((resolve) => setTimeout(resolve, 5));
    stop = true;
    await writer;
    ackedInAll = [...acked];
    expect(ackedInAll.length).toBeGreaterThan(ackedBeforeBackup.length + 50);
    expect(fs.existsSync(`${backupFile}.partial`)).toBe(false);
  });

  it("reads the backup back whole", async () => {
    const check = await checkBackup(backupFile);
    expect(check).toMatchObject({ ok: true, problems: [] });
    if (testDialect === "sqlite") expect(check.tables.find((t) => t.table === "events")?.rows).toBeGreaterThanOrEqual(ackedBeforeBackup.length);
  });

  it("restores into an empty installation with every event acknowledged before the backup started, each once, rollups matching", async () => {
    const config = configOf(target.db, restoredSqlite);
    const summary = await restoreDatabase(config, backupFile);
    expect(summary.tables.find((t) => t.table === "accounts")?.rows).toBe(1);
    const restored = testDialect === "sqlite" ? new SqliteDb(new (await import("better-sqlite3")).default(restoredSqlite), restoredSqlite) : target.db;
    try {
      const ids = (await restored.all<{ id: string }>(sql`SELECT message_id AS id FROM events`)).map((r) => r.id);
      const stored = new Set(ids);
      expect(stored.size).toBe(ids.length);
      expect(ackedBeforeBackup.filter((id) => !stored.has(id))).toEqual([]);
      // Nothing that was never acknowledged, and the rollups agree with the events (one snapshot).
      expect(ids.every((id) => ackedInAll.includes(id))).toBe(true);
      expect(await restored.value<number>(sql`SELECT sum(count) FROM daily_rollups`)).toBe(ids.length);
    } finally {
      if (testDialect === "sqlite") await restored.close();
    }
  });

  it("refuses to restore into an installation that holds data, changing nothing", async () => {
    await expect(restoreDatabase(configOf(source.db), backupFile)).rejects.toThrow(/not empty \(1 accounts, \d+ events/);
    await expect(restoreDatabase(configOf(target.db, restoredSqlite), backupFile)).rejects.toThrow(/not empty/);
    expect(await source.db.value<number>(sql`SELECT count(*) FROM events`)).toBe(ackedInAll.length);
  });

  it("never overwrites a file, and names a file that is no backup", async () => {
    await expect(backupDatabase(configOf(source.db), backupFile)).rejects.toThrow(/already exists/);
    const notABackup = path.join(dir, "notes.txt");
    fs.writeFileSync(notABackup, "hello");
    await expect(checkBackup(notABackup)).rejects.toThrow(/neither a SQLite backup nor a pg_dump archive/);
  });

  it("says a damaged backup is damaged", async () => {
    const damaged = path.join(dir, testDialect === "sqlite" ? "damaged.db" : "damaged.dump");
    const bytes = fs.readFileSync(backupFile);
    fs.writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const check = await checkBackup(damaged).catch((error: unknown) => ({ ok: false, problems: [String(error)] }));
    expect(check.ok).toBe(false);
  });
});
