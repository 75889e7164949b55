import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import { databaseUrl, runOnServer } from "../scripts/lib/temporary-postgres";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { SqliteDb } from "@/db/sqlite-client";
import { startNextServer } from "./server-process";

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

export async function startFreshServer(): Promise<FreshServer> {
  const database = await freshDatabase();
  const server = await startNextServer(
    "the fresh server",
    (url) => ({
      ...process.env,
      ...database.env,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_URL: url,
      AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: "1000",
      NEXT_TELEMETRY_DISABLED: "1",
    }),
    90_000,
  );
  return {
    baseURL: server.url,
    async query<T>(query: SQL): Promise<T | undefined> {
      const db = database.open();
      try {
        return await db.value<T>(query);
      } finally {
        await db.close();
      }
    },
    stop: async () => {
      await server.stop();
      await database.remove().catch(() => undefined);
    },
  };
}
