/**
 * npm run bench:accounts [-- --accounts 50000 --port 3320 --duration 15 --no-build]
 *
 * Measures the call-list API and the account page's data API at 10 connections on loopback
 * against a production server over a big demo database:
 *  1. seeds bench/data/ces-<N>.db with N demo accounts, or reuses it when complete
 *     (seeding 50,000 accounts takes a few minutes; the file is git-ignored);
 *  2. brings its scores up to today, builds the app (unless --no-build) and starts it;
 *  3. runs each scenario with autocannon and reports p50 / p95 / p99 latency.
 * Exits 1 when a target is missed: call list p95 ≤ 150 ms, account data p95 ≤ 100 ms.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { z } from "zod";
import { openDatabase } from "@/db";
import { todayDay } from "@/lib/days";
import { ensureScoresCurrent } from "@/lib/server/freshness";
import { seedDemoData } from "@/lib/server/seed";

const argsSchema = z.object({
  accounts: z.coerce.number().int().min(100, "--accounts must be at least 100").default(50_000),
  port: z.coerce.number().int().min(1024).max(65_535).default(Number(process.env.BENCH_PORT ?? 3320)),
  duration: z.coerce.number().int().min(3).max(300).default(15),
  connections: z.coerce.number().int().min(1).max(100).default(10),
  "no-build": z.boolean().default(false),
});

const { values } = parseArgs({
  options: {
    accounts: { type: "string" },
    port: { type: "string" },
    duration: { type: "string" },
    connections: { type: "string" },
    "no-build": { type: "boolean" },
  },
});
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}
const args = parsed.data;
const SEED = 42;
const dbFile = path.resolve(`bench/data/ces-${args.accounts}.db`);

function removeDatabase(file: string): void {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
}

/** Reuses a complete benchmark database; seeds a new one when missing or incomplete. */
function prepareDatabase(): void {
  if (fs.existsSync(dbFile)) {
    const db = openDatabase(dbFile);
    const accounts = db.sqlite.prepare("SELECT count(*) FROM accounts").pluck().get() as number;
    const scored = db.sqlite.prepare("SELECT count(*) FROM account_scores").pluck().get() as number;
    if (accounts === args.accounts && scored === accounts) {
      console.log(`Reusing ${path.relative(process.cwd(), dbFile)} (${accounts.toLocaleString("en-US")} accounts).`);
      const started = performance.now();
      const summary = ensureScoresCurrent(db);
      if (summary) console.log(`  scores brought up to today in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      db.sqlite.close();
      return;
    }
    db.sqlite.close();
    console.log(`${path.relative(process.cwd(), dbFile)} is incomplete (${accounts} accounts, ${scored} scored): seeding it again.`);
    removeDatabase(dbFile);
  }
  console.log(`Seeding ${args.accounts.toLocaleString("en-US")} demo accounts into ${path.relative(process.cwd(), dbFile)} (a few minutes at 50,000) …`);
  const db = openDatabase(dbFile);
  let last = 0;
  try {
    const summary = seedDemoData(db, {
      accounts: args.accounts,
      seed: SEED,
      today: todayDay(),
      onProgress: (done, total) => {
        if (Date.now() - last > 5000 || done === total) {
          last = Date.now();
          console.log(`  ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} accounts`);
        }
      },
    });
    console.log(`  ${summary.events.toLocaleString("en-US")} events in ${(summary.millis / 1000).toFixed(0)} s`);
  } catch (error) {
    db.sqlite.close();
    removeDatabase(dbFile); // never leave a half-seeded file to be mistaken for a complete one
    throw error;
  }
  db.sqlite.close();
}

interface BenchInputs {
  manager: string;
  accountIds: number[];
}

function pickInputs(): BenchInputs {
  const db = openDatabase(dbFile);
  const manager = db.sqlite
    .prepare("SELECT account_manager FROM accounts WHERE account_manager IS NOT NULL GROUP BY account_manager ORDER BY count(*) DESC LIMIT 1")
    .pluck()
    .get() as string;
  // A spread of accounts across the id range, the same every run.
  const max = db.sqlite.prepare("SELECT max(id) FROM accounts").pluck().get() as number;
  const accountIds = Array.from({ length: 500 }, (_, i) => 1 + ((i * 7919) % max));
  db.sqlite.close();
  return { manager, accountIds };
}

async function waitForServer(base: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The server exited with code ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("The server did not become healthy within 120 s");
}

interface Scenario {
  name: string;
  target: number | null;
  paths: string[];
}

interface Measured {
  name: string;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  target: number | null;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

async function run(base: string, scenario: Scenario, duration: number): Promise<Measured> {
  let next = 0;
  const latencies: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: args.connections,
        duration,
        requests: [
          {
            method: "GET",
            setupRequest: (request) => ({ ...request, path: scenario.paths[next++ % scenario.paths.length] ?? "/" }),
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode !== 200) errors++;
      latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    name: scenario.name,
    requests: latencies.length,
    perSecond: latencies.length / duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: errors + result.errors + result.timeouts,
    target: scenario.target,
  };
}

async function main(): Promise<void> {
  prepareDatabase();
  if (!args["no-build"]) {
    console.log("Building the app (next build) …");
    const build = spawnSync(path.resolve("node_modules/.bin/next"), ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const inputs = pickInputs();
  const base = `http://127.0.0.1:${args.port}`;
  const server = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(args.port), "-H", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DATABASE_PATH: dbFile, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  try {
    await waitForServer(base, server);
    const m = encodeURIComponent(inputs.manager);
    const scenarios: Scenario[] = [
      {
        name: `Call list API, my accounts (manager=${inputs.manager}), 40–80 renewals`,
        target: 150,
        paths: [`/api/accounts?manager=${m}`],
      },
      {
        name: "Call list API, my accounts: every list, sorts and pages",
        target: 150,
        paths: [
          `/api/accounts?manager=${m}`,
          `/api/accounts?manager=${m}&scope=all`,
          `/api/accounts?list=low&manager=${m}`,
          `/api/accounts?list=high&manager=${m}&sort=arr`,
          `/api/accounts?list=drops&manager=${m}`,
          `/api/accounts?list=trials&manager=${m}`,
          `/api/accounts?list=upsell&manager=${m}&page=2`,
          `/api/accounts?list=low&manager=${m}&sort=lastContact&page=3`,
          `/api/accounts?list=low&manager=${m}&plan=Growth`,
          `/api/accounts?manager=${m}&q=north&scope=all`,
        ],
      },
      {
        name: "Call list API, all managers (no filter): every list",
        target: null,
        paths: ["/api/accounts", "/api/accounts?list=high", "/api/accounts?list=low", "/api/accounts?list=drops", "/api/accounts?list=trials", "/api/accounts?list=upsell"],
      },
      { name: "List counts API, my accounts", target: null, paths: [`/api/accounts/counts?manager=${m}`] },
      { name: "Account page data API (500 different accounts)", target: 100, paths: inputs.accountIds.map((id) => `/api/accounts/${id}`) },
    ];

    // Warm up: every path once, so the measurement sees a running server (code loaded, the
    // database's pages in the OS cache), not its first minute after a restart.
    for (const s of scenarios) for (const p of s.paths) await fetch(base + p).then((r) => r.arrayBuffer());

    const results: Measured[] = [];
    for (const s of scenarios) {
      process.stdout.write(`\n▶ ${s.name}: ${args.connections} connections, ${args.duration} s …`);
      const r = await run(base, s, args.duration);
      results.push(r);
      process.stdout.write(` p95 ${r.p95} ms\n`);
    }

    const fmt = (n: number) => `${Math.round(n)}`.padStart(6);
    console.log(`\nResults (${args.accounts.toLocaleString("en-US")} accounts, ${args.connections} connections, ${args.duration} s each, latency in ms):\n`);
    console.log(`${"scenario".padEnd(78)}  req/s    p50    p95    p99  errors  target`);
    let failed = false;
    for (const r of results) {
      const verdict = r.target === null ? "   (info)" : r.p95 <= r.target && r.errors === 0 ? `  ✓ ≤ ${r.target}` : `  ✗ > ${r.target}`;
      if (r.target !== null && (r.p95 > r.target || r.errors > 0)) failed = true;
      console.log(`${r.name.padEnd(78)} ${fmt(r.perSecond)} ${fmt(r.p50)} ${fmt(r.p95)} ${fmt(r.p99)} ${String(r.errors).padStart(7)}${verdict}`);
    }
    const out = path.resolve("bench/data/accounts-results.json");
    fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), accounts: args.accounts, connections: args.connections, results }, null, 2));
    console.log(`\nSaved to ${path.relative(process.cwd(), out)}.`);
    if (failed) process.exitCode = 1;
  } finally {
    server.kill("SIGTERM");
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
