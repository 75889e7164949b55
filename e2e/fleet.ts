import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import { databaseUrl, runOnServer } from "../scripts/lib/temporary-postgres";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { isoDateFromDay, todayDay } from "@/lib/days";
import { startNextServer } from "./server-process";

/**
 * Two production servers (`next start` on the e2e build) on ONE PostgreSQL database, as a
 * fleet behind a load balancer runs (issue 15): the same AUTH_SECRET, each its own process,
 * pool and caches. The database is a new one on the server E2E_POSTGRES_ADMIN_URL names: the
 * suite's run on PostgreSQL (scripts/e2e-postgres.ts).
 */
export interface FleetServer {
  name: "A" | "B";
  url: string;
  output: string[];
}

export interface Fleet {
  a: FleetServer;
  b: FleetServer;
  metricsToken: string;
  /** The first column of the first row, read from the fleet's database. */
  value<T>(query: SQL): Promise<T | undefined>;
  /** Writes state no page or API sets up (say why where it is used). */
  run(query: SQL): Promise<void>;
  stop(): Promise<void>;
}

/** Accounts of the demo company the fleet's database is seeded with. */
export const FLEET_ACCOUNTS = 150;

/** This process's environment without what would point a server elsewhere (its own address, a SQLite file). */
function inheritedEnv(): NodeJS.ProcessEnv {
  const { AUTH_URL: _origin, DATABASE_PATH: _file, E2E_DATABASE_URL: _suite, ...rest } = process.env;
  return rest;
}

interface Running extends FleetServer {
  stop(): Promise<void>;
}

async function startServer(name: "A" | "B", env: Record<string, string>): Promise<Running> {
  const server = await startNextServer(`server ${name}`, () => ({ ...inheritedEnv(), ...env }), 90_000);
  return { name, url: server.url, output: server.output, stop: server.stop };
}

/**
 * Seeds the demo company as of YESTERDAY (with its demo users) into a new database, then starts
 * both servers at once: each finds the UTC day turned since the scores were computed.
 */
export interface FleetOptions {
  env?: Record<string, string>;
  prepare?: (db: { run(query: SQL): Promise<void> }) => Promise<void>;
}

export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
  const adminUrl = process.env.E2E_POSTGRES_ADMIN_URL;
  if (!adminUrl) throw new Error("The fleet runs on PostgreSQL: run it with npm run test:e2e:postgres (E2E_POSTGRES_ADMIN_URL).");
  const name = `fleet_${process.pid}_${randomBytes(4).toString("hex")}`;
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step();
  };
  try {
    await runOnServer(adminUrl, `CREATE DATABASE ${name}`);
    cleanups.push(() => runOnServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const url = databaseUrl(adminUrl, name);
    const seeded = spawnSync(
      path.resolve("node_modules/.bin/tsx"),
      ["--conditions=react-server", "scripts/seed.ts", "--accounts", String(FLEET_ACCOUNTS), "--seed", "7", "--today", isoDateFromDay(todayDay() - 1)],
      { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" },
    );
    if (seeded.status !== 0) throw new Error(`seeding the fleet's database failed:\n${seeded.stdout}${seeded.stderr}`);
    const db = new PostgresDb(createPool(url, { max: 2 }), url);
    cleanups.push(() => db.close());
    const metricsToken = randomBytes(24).toString("hex");
    const env = {
      DATABASE_URL: url,
      // One secret for the fleet, as behind a load balancer: a session made by one server is good on the other.
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_TRUST_HOST: "true",
      // One client address (127.0.0.1) for every request: the per-address limit stays out of the per-email one.
      AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: "1000",
      // The test's SMTP server takes plain connections on this machine.
      ALERTS_ALLOW_HTTP: "true",
      ALERTS_ALLOW_PRIVATE_NETWORKS: "true",
      METRICS_TOKEN: metricsToken,
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    };
    // State set before the servers start (their scheduled work runs as soon as they do).
    await options.prepare?.({ run: async (query) => void (await db.run(query)) });
    const servers = await Promise.allSettled([startServer("A", env), startServer("B", env)]);
    for (const s of servers) if (s.status === "fulfilled") cleanups.push(s.value.stop);
    const [a, b] = servers;
    if (a?.status !== "fulfilled" || b?.status !== "fulfilled") {
      const reason = [a, b].find((s) => s?.status === "rejected");
      throw reason?.status === "rejected" ? reason.reason : new Error("a fleet server did not start");
    }
    return {
      a: a.value,
      b: b.value,
      metricsToken,
      value: (query) => db.value(query),
      run: async (query) => {
        await db.run(query);
      },
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
