/**
 * The servers under test: the production server (`next build` unless --no-build, then
 * `next start` on a database file) and the bare reference (bench/reference/server.ts), with
 * the resident memory and CPU time of each one's process tree sampled while it runs.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { log } from "./output";
import { nextStartArgs } from "@/scripts/lib/next-start";

export function buildApp(): void {
  log("building the production server (next build) …");
  const build = spawnSync(path.resolve("node_modules/.bin/next"), ["build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error("next build failed");
}

export function hasBuild(): boolean {
  return fs.existsSync(".next/BUILD_ID");
}

/** Every process in the tree under `root` (next start may run workers). */
function processTree(root: number): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of fs.readdirSync(`/proc/${out[i]}/task`)) {
        const children = fs.readFileSync(`/proc/${out[i]}/task/${task}/children`, "utf8").trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

const CLOCK_TICKS_PER_SECOND = 100;

function cpuTicks(pid: number): number {
  try {
    // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Bytes the process has written through system calls so far (files and sockets: /proc/<pid>/io wchar). */
function writtenBytes(pid: number): number {
  try {
    const m = /^wchar:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface MemoryPeak {
  /** Highest sampled sum of resident memory over the server's process tree. */
  treeBytes: number;
  /** Highest high-water mark (VmHWM) of any one process in the tree: catches peaks between samples. */
  processBytes: number;
}

export interface BenchServer {
  base: string;
  pid: number;
  memory(): MemoryPeak;
  /** CPU time (user + system) the server's processes have used so far, in ms. */
  cpuMillis(): number;
  /** Bytes the server's processes have written so far (database, WAL and responses). */
  writtenBytes(): number;
  stop(): Promise<void>;
  /** The server's recent output (for error reports). */
  output(): string;
}

export interface StartOptions {
  databaseFile: string;
  port: number;
  /** Extra environment (e.g. to switch an experiment on). */
  env?: Record<string, string>;
}

/** Node flags for the servers, e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=bench/data/prof" to profile them under load. */
function nodeArgs(): string[] {
  return process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
}

/** The production server (next start) on a database file. */
export async function startServer(options: StartOptions): Promise<BenchServer> {
  const base = `http://127.0.0.1:${options.port}`;
  const next = path.resolve("node_modules/next/dist/bin/next");
  return startProcess({
    base,
    healthPath: "/api/health",
    args: [...nodeArgs(), next, ...nextStartArgs(options.port, "127.0.0.1")],
    env: {
      DATABASE_PATH: options.databaseFile,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_URL: base,
      // The benchmark signs in from 127.0.0.1 a few times per run.
      AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: "1000",
      ...options.env,
    },
  });
}

/** The bare reference server (bench/reference/server.ts) on a reference database file. */
export async function startReference(options: { databaseFile: string; port: number; writeKey: string }): Promise<BenchServer> {
  return startProcess({
    base: `http://127.0.0.1:${options.port}`,
    healthPath: "/health",
    args: [...nodeArgs(), "--import", "tsx", path.resolve("bench/reference/server.ts"), "--db", options.databaseFile, "--port", String(options.port), "--write-key", options.writeKey],
    env: { NODE_ENV: "production" },
  });
}

interface ProcessOptions {
  base: string;
  healthPath: string;
  /** Arguments to node. */
  args: string[];
  env: Record<string, string>;
}

async function startProcess(options: ProcessOptions): Promise<BenchServer> {
  const { base } = options;
  const busy = await fetch(`${base}${options.healthPath}`).then(
    () => true,
    () => false,
  );
  if (busy) throw new Error(`${base} is already in use: stop that server or pass --port`);
  const child: ChildProcess = spawn(process.execPath, options.args, {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${options.args.join(" ")}`);
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const peak: MemoryPeak = { treeBytes: 0, processBytes: 0 };
  const sample = () => {
    let tree = 0;
    for (const p of processTree(pid)) {
      tree += statusKb(p, "VmRSS") * 1024;
      peak.processBytes = Math.max(peak.processBytes, statusKb(p, "VmHWM") * 1024);
    }
    peak.treeBytes = Math.max(peak.treeBytes, tree);
  };
  const sampler = setInterval(sample, 200);

  const stop = async () => {
    clearInterval(sampler);
    // One listener per server started: a run starts a dozen servers one after another.
    process.removeListener("exit", onExit);
    if (child.exitCode !== null) return;
    sample();
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        resolve();
      }
    });
  };
  const onExit = () => {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.once("exit", onExit);

  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}:\n${output.slice(-4000)}`);
    try {
      if ((await fetch(`${base}${options.healthPath}`)).ok) {
        const cpuMillis = () => (processTree(pid).reduce((sum, p) => sum + cpuTicks(p), 0) * 1000) / CLOCK_TICKS_PER_SECOND;
        const written = () => processTree(pid).reduce((sum, p) => sum + writtenBytes(p), 0);
        return { base, pid, memory: () => (sample(), { ...peak }), cpuMillis, writtenBytes: written, stop, output: () => output };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`the server did not answer ${options.healthPath} in time:\n${output.slice(-4000)}`);
}
