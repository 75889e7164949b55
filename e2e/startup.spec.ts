import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db";
import { e2eDatabaseUrl } from "./db";
import { expect, test } from "./fixtures";
import { nextStartArgs } from "@/scripts/lib/next-start";

/**
 * The production server on a database migrated by another build (here: a migration this
 * build does not have) stops at start-up, naming the mismatch, instead of serving 500s.
 */
test("the server refuses a database migrated by another build, with the reason", async () => {
  test.skip(
    e2eDatabaseUrl() !== null,
    "checks a SQLite file (db/migration-check.ts); on PostgreSQL the server applies its migrations under an advisory lock and has no such check yet",
  );
  test.setTimeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-e2e-startup-"));
  const file = path.join(dir, "other-build.db");
  const db = openDatabase(file);
  db.sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('feedfacecafebeef00', ?)").run(Date.UTC(2031, 0, 1));
  db.sqlite.close();

  // Port 0: the server never gets to serve, so it needs no port of its own.
  const server = spawn(path.resolve("node_modules/.bin/next"), nextStartArgs(0, "127.0.0.1"), {
    env: { ...process.env, DATABASE_PATH: file, AUTH_SECRET: randomBytes(32).toString("base64"), AUTH_URL: "http://127.0.0.1" },
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
  fs.rmSync(dir, { recursive: true, force: true });
  expect(code, output).toBe(1);
  expect(output).toContain(`Refusing to start: The database ${file} does not match this build's migrations`);
  expect(output).toMatch(/migration #\d+ recorded in the database \(created 2031-01-01T00:00:00Z, hash feedfacecafe\)/);
});
