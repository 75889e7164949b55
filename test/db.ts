import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { openDatabase, type Database } from "@/db";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { SqliteDb } from "@/db/sqlite-client";
import { databaseUrl, runOnServer } from "@/scripts/lib/temporary-postgres";

/**
 * A fresh, migrated SQLite file in a temporary directory: each test file owns its data.
 * Returns the database and a cleanup function for afterAll.
 */
export function createTestDatabase(): { db: Database; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-test-"));
  const db = openDatabase(path.join(dir, "test.db"));
  return {
    db,
    cleanup: () => {
      db.sqlite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Which database this test run uses: the `postgres` test project sets CES_TEST_DATABASE. */
export const testDialect = process.env.CES_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

/**
 * A fresh, migrated database for one test file, on the database of this test run: a SQLite
 * file in a temporary directory, or a PostgreSQL database cloned from the migrated template
 * (test/postgres-global-setup.ts). Call cleanup in afterAll.
 */
export async function createTestDb(): Promise<{ db: Db; cleanup: () => Promise<void> }> {
  if (testDialect === "sqlite") {
    const { db, cleanup } = createTestDatabase();
    const wrapped = new SqliteDb(db.sqlite, db.file);
    return { db: wrapped, cleanup: async () => cleanup() };
  }
  const adminUrl = inject("postgresAdminUrl");
  const name = `ces_test_${randomBytes(6).toString("hex")}`;
  await runOnServer(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${inject("postgresTemplate")}`);
  const url = databaseUrl(adminUrl, name);
  const db = new PostgresDb(createPool(url, { max: 4 }), url);
  return {
    db,
    cleanup: async () => {
      await db.close();
      await runOnServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
