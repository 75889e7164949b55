import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDb } from "../db";
import { freePort } from "../scripts/lib/temporary-postgres";
import { newE2eDatabase, type E2eDatabase } from "./db";
import { nextStartArgs } from "@/scripts/lib/next-start";

/**
 * A production server of its own (`next start` on the build the e2e run made), on a fresh
 * database and a free loopback port, for tests that stop, restart or back up a server while
 * it ingests. The shared e2e server is never touched.
 */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface Installation {
  /** A temporary directory of its own (for backup files). */
  dir: string;
  /** Its database, on the database the suite runs on (e2e/db.ts). */
  database: E2eDatabase;
  writeKey: string;
  /** Removes the database and the directory. */
  remove(): Promise<void>;
}

/** A migrated database with one write key, and a temporary directory. */
export async function newInstallation(): Promise<Installation> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-ops-e2e-"));
  const database = await newE2eDatabase("ops");
  const db = await openDb(database.config);
  const writeKey = `ces_${randomBytes(30).toString("base64url").replace(/[-_]/g, "x").slice(0, 40)}`;
  try {
    await db.run(
      sql`INSERT INTO write_keys (label, prefix, key_hash, created_by) VALUES ('e2e', ${writeKey.slice(0, 12)}, ${createHash("sha256").update(writeKey, "utf8").digest("hex")}, 'e2e')`,
    );
  } finally {
    await db.close();
  }
  return {
    dir,
    database,
    writeKey,
    remove: async () => {
      await database.remove();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A `next start` of the e2e build on a free loopback port, ready (readiness answered 200). */
export interface NextServer {
  url: string;
  child: ChildProcess;
  /** Everything it printed, for the error of a test that fails. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, resolved once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts `next start` with exactly the environment `envFor(url)` gives (the caller decides what
 * it inherits), and waits until /api/health answers 200: bounded, so a server that never starts
 * fails the test (and is stopped) with what it printed.
 */
export async function startNextServer(name: string, envFor: (url: string) => NodeJS.ProcessEnv, readyWithinMs: number): Promise<NextServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(path.resolve("node_modules/.bin/next"), nextStartArgs(port, "127.0.0.1"), { env: envFor(url), stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited at start:\n${output.join("")}`);
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not become ready within ${readyWithinMs} ms:\n${output.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, child, output, exited, stop };
}

export async function startServer(installation: Installation, env: Record<string, string> = {}): Promise<ServerProcess> {
  // The installation's database only: the suite's own (DATABASE_URL of a PostgreSQL run,
  // scripts/e2e-postgres.ts) must not be inherited.
  const { DATABASE_URL: _suiteDatabase, DATABASE_PATH: _suiteFile, ...inherited } = process.env;
  return startNextServer(
    "the server",
    (url) => ({ ...inherited, ...installation.database.env, AUTH_SECRET: randomBytes(32).toString("base64"), AUTH_URL: url, NEXT_TELEMETRY_DISABLED: "1", ...env }),
    60_000,
  );
}

/** A batch of `count` track events with ids `${prefix}-0…`, for account `account`. */
export function trackBatch(prefix: string, count: number, account: string): { batch: unknown[]; ids: string[] } {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const timestamp = new Date(Date.now() - 3_600_000).toISOString();
  return {
    ids,
    batch: ids.map((messageId) => ({ type: "track", event: "Report Created", userId: `user-${account}`, context: { groupId: account }, messageId, timestamp })),
  };
}

/** Sends a batch; true when the server acknowledged it (2xx), false for a refusal or a broken connection. */
export async function sendBatch(url: string, writeKey: string, batch: unknown[]): Promise<boolean> {
  try {
    const response = await fetch(`${url}/v1/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}` },
      body: JSON.stringify({ batch }),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
