import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";

/**
 * A second production server on an EMPTY database (no demo, no users), for the tests of a
 * real installation's first run. It listens on a port the operating system hands out, so it
 * never collides with the suite's own server or anyone else's.
 */
export interface FreshServer {
  baseURL: string;
  databasePath: string;
  /** A read-only look at the server's database. */
  query<T>(sql: string, ...params: unknown[]): T;
  stop(): Promise<void>;
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
  const dir = path.resolve("e2e/.tmp");
  fs.mkdirSync(dir, { recursive: true });
  const databasePath = path.join(dir, `fresh-${process.pid}-${randomBytes(4).toString("hex")}.db`);
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_PATH: databasePath,
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
    databasePath,
    query<T>(sql: string, ...params: unknown[]): T {
      const db = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).pluck().get(...params) as T;
      } finally {
        db.close();
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => {
          for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(databasePath + suffix, { force: true });
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
