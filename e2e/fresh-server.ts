import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { databaseUrl, runOnServer } from "../scripts/lib/temporary-postgres";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { SqliteDb } from "@/db/sqlite-client";
import { nextStartArgs } from "@/scripts/lib/next-start";

/**
 * A second production server on an EMPTY database (no demo, no users), for the tests of a
 * real installation's first run. It listens on a port the operating system hands out, so it
 * never collides with the suite's own server or anyone else's.
 */
export interface FreshServer {
  baseURL: string;
  /** A look at the server's database: the first column of the first row. */
  query<T>(query: SQL): Promise<T | undefined>;
  stop(): Promise<void>;
}

/**
 * The fresh server's empty database: a SQLite file beside the suite's, or, when the suite runs
 * on PostgreSQL (E2E_POSTGRES_ADMIN_URL, scripts/e2e-postgres.ts), a new database on that server.
 */
interface FreshDatabase {
  env: Record<string, string>;
  open(): Db;
  remove(): Promise<void>;
}

async function freshDatabase(): Promise<FreshDatabase> {
  const name = `fresh_${process.pid}_${randomBytes(4).toString("hex")}`;
  const adminUrl = process.env.E2E_POSTGRES_ADMIN_URL;
  if (adminUrl) {
    await runOnServer(adminUrl, `CREATE DATABASE ${name}`);
    const url = databaseUrl(adminUrl, name);
    return {
      env: { DATABASE_URL: url },
      open: () => new PostgresDb(createPool(url, { max: 1 }), url),
      remove: () => runOnServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = path.resolve("e2e/.tmp");
  fs.mkdirSync(dir, { recursive: true });
  const databasePath = path.join(dir, `${name}.db`);
  return {
    env: { DATABASE_PATH: databasePath },
    open: () => new SqliteDb(new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true }), databasePath),
    remove: async () => {
      for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(databasePath + suffix, { force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseURL: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once("exit", () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error("The fresh server exited before it answered");
    try {
      const response = await fetch(`${baseURL}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The fresh server did not answer within ${timeoutMs} ms`);
}

export async function startFreshServer(): Promise<FreshServer> {
  const database = await freshDatabase();
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const child = spawn(path.resolve("node_modules/.bin/next"), nextStartArgs(port, "127.0.0.1"), {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...database.env,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_URL: baseURL,
      AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: "1000",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  try {
    await waitForHealth(baseURL, child, 90_000);
  } catch (error) {
    child.kill("SIGTERM");
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output.join("")}`);
  }
  return {
    baseURL,
    async query<T>(query: SQL): Promise<T | undefined> {
      const db = database.open();
      try {
        return await db.value<T>(query);
      } finally {
        await db.close();
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return void database.remove().then(resolve, resolve);
        child.once("exit", () => void database.remove().then(resolve, resolve));
        child.kill("SIGTERM");
      }),
  };
}
