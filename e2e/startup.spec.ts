import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db";
import { sql } from "drizzle-orm";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { migratePostgres } from "@/db/postgres-migrate";
import { databaseUrl, runOnServer } from "@/scripts/lib/temporary-postgres";
import { e2eDatabaseUrl } from "./db";
import { expect, test } from "./fixtures";
import { nextStartArgs } from "@/scripts/lib/next-start";

const OTHER_BUILD_MIGRATION = { hash: "feedfacecafebeef00", createdAt: Date.UTC(2031, 0, 1) };

/** A database this build migrated, plus a migration another build applied after: SQLite's file or a PostgreSQL database on the e2e server. */
async function otherBuildDatabase(): Promise<{ env: Record<string, string>; name: string; cleanup: () => Promise<void> }> {
  const url = e2eDatabaseUrl();
  if (url === null) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-e2e-startup-"));
    const file = path.join(dir, "other-build.db");
    const db = openDatabase(file);
    db.sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)").run(OTHER_BUILD_MIGRATION.hash, OTHER_BUILD_MIGRATION.createdAt);
    db.sqlite.close();
    return { env: { DATABASE_PATH: file }, name: file, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  // Not named ces_…: the logs mask words shaped like a write key (lib/log.ts), and the test reads the name in the log.
  const database = `e2e_other_build_${randomBytes(4).toString("hex")}`;
  await runOnServer(url, `CREATE DATABASE ${database}`);
  const other = databaseUrl(url, database);
  const db = new PostgresDb(createPool(other, { max: 1 }), other);
  try {
    await migratePostgres(db);
    await db.run(sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${OTHER_BUILD_MIGRATION.hash}, ${OTHER_BUILD_MIGRATION.createdAt})`);
  } finally {
    await db.close();
  }
  const shown = new URL(other);
  shown.password = "";
  return { env: { DATABASE_URL: other }, name: shown.toString(), cleanup: async () => runOnServer(url, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`) };
}

/**
 * The production server on a database migrated by another build (here: a migration this
 * build does not have) stops at start-up, naming the mismatch, instead of serving 500s. On
 * SQLite and on PostgreSQL.
 */
test("the server refuses a database migrated by another build, with the reason", async () => {
  test.setTimeout(60_000);
  const database = await otherBuildDatabase();

  // Port 0: the server never gets to serve, so it needs no port of its own.
  const server = spawn(path.resolve("node_modules/.bin/next"), nextStartArgs(0, "127.0.0.1"), {
    env: { ...process.env, ...database.env, AUTH_SECRET: randomBytes(32).toString("base64"), AUTH_URL: "http://127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      server.kill("SIGTERM");
      resolve(null);
    }, 45_000);
    server.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  await database.cleanup();
  expect(code, output).toBe(1);
  expect(output).toContain(`Refusing to start: The database ${database.name} does not match this build's migrations`);
  expect(output).toMatch(/migration #\d+ recorded in the database \(created 2031-01-01T00:00:00Z, hash feedfacecafe\)/);
});
