/**
 * npm run bench:teams [-- --accounts 50000 --port 3330 --duration 10 --no-build]
 *
 * Seeds (or reuses) a demo database under bench/data/, builds and starts the production
 * server, warms the team views' caches, then measures the segments, trends and before/after
 * data APIs with autocannon at 10 connections: p50 / p95 / p99 against the 300 ms target,
 * and the server's peak resident memory against 1 GiB. Writes bench/results-teams.json.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { z } from "zod";
import { ensureBenchDatabase } from "./seed-database";

const argsSchema = z.object({
  accounts: z.coerce.number().int().min(100).max(1_000_000).default(50_000),
  port: z.coerce.number().int().min(1024).max(65535).default(Number(process.env.BENCH_PORT ?? 3330)),
  duration: z.coerce.number().int().min(2).max(120).default(10),
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
const parsedArgs = argsSchema.safeParse(values);
if (!parsedArgs.success) {
  console.error(parsedArgs.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n"));
  process.exit(2);
}
const args = parsedArgs.data;
const TARGET_P95_MS = 300;
const MEMORY_LIMIT_BYTES = 1024 ** 3;
const base = `http://127.0.0.1:${args.port}`;

const DIMENSIONS = ["plan", "region", "industry", "account_manager", "stage", "signup_month", "signup_quarter", "tag"];
const GROUPS: { name: string; paths: string[] }[] = [
  { name: "segments", paths: DIMENSIONS.map((d) => `/api/segments?dimension=${d}`) },
  {
    name: "trends",
    paths: [
      ...[30, 90, 180, 365].map((r) => `/api/trends?range=${r}`),
      "/api/trends?range=365&dimension=plan",
      "/api/trends?range=90&dimension=region",
      "/api/trends?range=180&dimension=stage",
      "/api/trends?range=365&dimension=plan&segments=Starter%2CEnterprise&metric=median",
    ],
  },
  {
    name: "before/after",
    paths: [30, 90, 180].flatMap((w) =>
      ["plan", "region"].flatMap((d) => [30, 60].map((h) => `/api/trends/compare?window=${w}&dimension=${d}&horizon=${h}`)),
    ),
  },
];

// ---------------------------------------------------------------- server and its memory

function processTree(root: number): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    const pid = out[i];
    try {
      for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
        const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/** Peak resident set size (VmHWM) of the biggest process in the server's tree. */
function peakRss(root: number): { pid: number; bytes: number } {
  let best = { pid: root, bytes: 0 };
  for (const pid of processTree(root)) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      const bytes = m ? Number(m[1]) * 1024 : 0;
      if (bytes > best.bytes) best = { pid, bytes };
    } catch {
      // ignore
    }
  }
  return best;
}

async function waitForHealth(server: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the server did not answer /api/health in time");
}

// ---------------------------------------------------------------- measurement

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

interface GroupResult {
  name: string;
  urls: number;
  requests: number;
  errors: number;
  non2xx: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  coldFirstMs: number[];
  met: boolean;
}

async function timeGet(p: string): Promise<{ ms: number; status: number; body: unknown }> {
  const started = performance.now();
  const r = await fetch(base + p);
  const body = (await r.json()) as unknown;
  return { ms: performance.now() - started, status: r.status, body };
}

async function measure(group: (typeof GROUPS)[number]): Promise<GroupResult> {
  // Warm: every URL once (the first request of each is the cold figure).
  const cold: number[] = [];
  for (const p of group.paths) {
    const { ms, status } = await timeGet(p);
    if (status !== 200) throw new Error(`${p} answered ${status}`);
    cold.push(Math.round(ms));
  }
  const latencies: number[] = [];
  let non2xx = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: args.connections,
        duration: args.duration,
        requests: group.paths.map((p) => ({ method: "GET" as const, path: p })),
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) non2xx++;
    });
  });
  latencies.sort((a, b) => a - b);
  const p95 = percentile(latencies, 95);
  return {
    name: group.name,
    urls: group.paths.length,
    requests: latencies.length,
    errors: result.errors + result.timeouts,
    non2xx,
    requestsPerSecond: Math.round(latencies.length / args.duration),
    p50: percentile(latencies, 50),
    p95,
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
    coldFirstMs: cold,
    met: p95 <= TARGET_P95_MS && non2xx === 0 && result.errors === 0,
  };
}

/** Time for a view to reflect a change: tag one account, then read the tag segments. */
async function refreshAfterChange(): Promise<{ writeMs: number; firstReadMs: number; reflected: boolean }> {
  const tag = `bench-${Date.now().toString(36)}`;
  const post = (action: "add" | "remove") =>
    fetch(`${base}/api/admin/tags`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action, tag, selection: { by: "ids", externalIds: ["acc_00001"] } }),
    });
  const started = performance.now();
  const r = await post("add");
  const writeMs = performance.now() - started;
  if (!r.ok) throw new Error(`tagging answered ${r.status}`);
  const read = await timeGet("/api/segments?dimension=tag");
  const data = (read.body as { data?: { segments?: { key: string; accounts: number }[] } }).data;
  const reflected = data?.segments?.some((s) => s.key === tag && s.accounts === 1) ?? false;
  await post("remove");
  await timeGet("/api/segments?dimension=tag");
  return { writeMs: Math.round(writeMs), firstReadMs: Math.round(read.ms), reflected };
}

// ---------------------------------------------------------------- run

async function main(): Promise<void> {
  const seed = ensureBenchDatabase(args.accounts);
  if (!args["no-build"]) {
    console.log("Building the production server (next build) …");
    const build = spawnSync(path.resolve("node_modules/.bin/next"), ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  console.log(`Starting the production server on port ${args.port} …`);
  const server = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(args.port), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_PATH: seed.file, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const serverLog: string[] = [];
  server.stdout?.on("data", (d: Buffer) => serverLog.push(d.toString()));
  server.stderr?.on("data", (d: Buffer) => serverLog.push(d.toString()));
  let peak = { pid: server.pid ?? 0, bytes: 0 };
  const sampler = setInterval(() => {
    if (!server.pid) return;
    const now = peakRss(server.pid);
    if (now.bytes > peak.bytes) peak = now;
  }, 250);
  const stop = () => {
    clearInterval(sampler);
    if (server.pid && server.exitCode === null) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  process.on("SIGINT", () => {
    stop();
    process.exit(130);
  });

  try {
    await waitForHealth(server, 15 * 60_000);
    const results: GroupResult[] = [];
    let source = "";
    for (const group of GROUPS) {
      console.log(`Measuring ${group.name}: ${group.paths.length} URLs, ${args.connections} connections, ${args.duration} s …`);
      results.push(await measure(group));
      if (!source) {
        const first = await timeGet(group.paths[0] ?? "/api/segments");
        source = (first.body as { data?: { source?: string } }).data?.source ?? "";
      }
    }
    const refresh = await refreshAfterChange();
    if (server.pid) {
      const now = peakRss(server.pid);
      if (now.bytes > peak.bytes) peak = now;
    }

    const accounts = args.accounts.toLocaleString("en-US");
    const ms = (v: number) => `${v.toFixed(1).padStart(7)} ms`;
    console.log("");
    console.log(`Team views at ${accounts} accounts × 12 months — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}`);
    console.log(`Pre-aggregation: ${source}`);
    console.log("");
    console.log("API group      URLs  requests   req/s       p50        p95        p99        max   target p95 ≤ 300 ms");
    for (const r of results) {
      const verdict = r.met ? "met" : `MISSED${r.p95 > TARGET_P95_MS ? ` by ${(r.p95 - TARGET_P95_MS).toFixed(0)} ms` : ""}${r.non2xx ? `, ${r.non2xx} non-2xx` : ""}`;
      console.log(
        `${r.name.padEnd(14)}${String(r.urls).padStart(4)}${String(r.requests).padStart(10)}${String(r.requestsPerSecond).padStart(8)}${ms(r.p50)}${ms(r.p95)}${ms(r.p99)}${ms(r.max)}   ${verdict}`,
      );
    }
    console.log("");
    for (const r of results) console.log(`Cold first request per URL, ${r.name}: ${r.coldFirstMs.join(", ")} ms (the first one includes loading the dataset if nothing loaded it before)`);
    console.log(`After tagging one account: write ${refresh.writeMs} ms, next segments read ${refresh.firstReadMs} ms (incremental reload; ${refresh.reflected ? "change visible" : "CHANGE NOT VISIBLE"})`);
    const memMet = peak.bytes <= MEMORY_LIMIT_BYTES;
    console.log(`Server peak RSS: ${(peak.bytes / 1024 ** 2).toFixed(0)} MiB (target ≤ 1024 MiB: ${memMet ? "met" : "MISSED"})`);

    const out = {
      at: new Date().toISOString(),
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? "", node: process.version, memoryGiB: Math.round(os.totalmem() / 1024 ** 3) },
      accounts: args.accounts,
      database: path.relative(process.cwd(), seed.file),
      connections: args.connections,
      durationSeconds: args.duration,
      preAggregation: source,
      targets: { p95Ms: TARGET_P95_MS, peakRssBytes: MEMORY_LIMIT_BYTES },
      groups: results,
      refreshAfterChange: refresh,
      serverPeakRssBytes: peak.bytes,
      memoryMet: memMet,
    };
    fs.writeFileSync("bench/results-teams.json", `${JSON.stringify(out, null, 2)}\n`);
    console.log("Wrote bench/results-teams.json");
    if (!results.every((r) => r.met) || !memMet || !refresh.reflected) process.exitCode = 1;
  } catch (error) {
    console.error(serverLog.join("").slice(-4000));
    throw error;
  } finally {
    stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
