/**
 * npm run bench:ingest [-- --sizes 1000000,20000000 --measure 500000 --csv-rows 500000 --accounts 10000 --port 3312]
 * npm run bench:ingest -- --quick        (sizes 200,000 and 1,000,000; smaller measurements)
 *
 * Ingestion throughput, each figure beside the raw ceiling measured in the same run:
 * - HTTP: events/s through POST /v1/batch of the PRODUCTION server (next start, loopback),
 *   batches of 500, 10 concurrent senders (autocannon), every event a new random UUID;
 *   ceiling: the same kind of rows into the same tables with prepared better-sqlite3
 *   statements, 500 per transaction, unique key and rollups included (bench/workload.ts).
 * - CSV: rows/s of `npm run import` (its own measurement, from first row to scores synced)
 *   against the ceiling with its chunk size (10,000 rows per transaction).
 * - Sustained: both at each stored size (the database is prefilled with a year of history
 *   between sizes), and the HTTP rate at the largest size against the smallest.
 * Targets (issue #4): HTTP ≥ 50 % of the ceiling, CSV ≥ 70 %, largest ≥ 70 % of smallest.
 * Not a test: figures depend on the machine and on what else runs on it.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { z } from "zod";
import { openDatabase, type Database } from "@/db";
import { todayDay } from "@/lib/days";
import { DEMO_EVENT_TYPES } from "@/lib/demo/catalog";
import { toHundredths } from "@/lib/scoring/points";
import { recomputeAllScores } from "@/lib/server/recompute";
import { createWriteKey } from "@/lib/server/write-keys";
import { accountExternalId, createRawWriter, historyEvent, liveEvent, TYPE_NAMES, type BenchEvent } from "./workload";

const { values } = parseArgs({
  options: {
    sizes: { type: "string" },
    measure: { type: "string" },
    "csv-rows": { type: "string" },
    accounts: { type: "string" },
    port: { type: "string" },
    quick: { type: "boolean" },
  },
});
const quick = values.quick ?? false;
const args = z
  .object({
    sizes: z.string().transform((s) => s.split(",").map((n) => Number(n.replace(/_/g, "")))).pipe(z.array(z.number().int().min(0)).min(1)),
    measure: z.coerce.number().int().min(5000),
    csvRows: z.coerce.number().int().min(1000),
    accounts: z.coerce.number().int().min(1),
    port: z.coerce.number().int().min(1024).max(65535),
  })
  .parse({
    sizes: values.sizes ?? (quick ? "200000,1000000" : "1000000,20000000"),
    measure: values.measure ?? (quick ? 100_000 : 500_000),
    csvRows: values["csv-rows"] ?? (quick ? 100_000 : 500_000),
    accounts: values.accounts ?? 10_000,
    port: values.port ?? 3312,
  });

const BATCH = 500;
const SENDERS = 10;
const CSV_CHUNK = 10_000;
const dataDir = path.resolve("bench/data");
const dbFile = path.join(dataDir, "ingest.db");
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const pct = (n: number) => `${(n * 100).toFixed(0)} %`;

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

function freshDatabase(): { db: Database; accountIds: number[]; typeIds: number[]; key: string } {
  fs.mkdirSync(dataDir, { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(dbFile + suffix, { force: true });
  const db = openDatabase(dbFile);
  const accountIds: number[] = [];
  const typeIds: number[] = [];
  db.sqlite.transaction(() => {
    const type = db.sqlite.prepare("INSERT INTO event_types (key, label, weight_hundredths) VALUES (?, ?, ?) RETURNING id").pluck();
    for (const t of DEMO_EVENT_TYPES) typeIds.push(type.get(t.key, t.label, toHundredths(t.weight)) as number);
    const account = db.sqlite.prepare("INSERT INTO accounts (external_id, name) VALUES (?, ?) RETURNING id").pluck();
    for (let i = 0; i < args.accounts; i++) accountIds.push(account.get(accountExternalId(i), `Bench account ${i}`) as number);
  })();
  const key = createWriteKey(db, { id: "bench", name: "bench" }, { label: "bench" }).key;
  return { db, accountIds, typeIds, key };
}

function storedEvents(db: Database): number {
  return (db.sqlite.prepare("SELECT max(id) FROM events").pluck().get() as number | null) ?? 0;
}

function prefill(db: Database, write: (rows: readonly BenchEvent[]) => void, target: number) {
  const now = Date.now();
  let stored = storedEvents(db);
  const started = performance.now();
  const first = stored;
  while (stored < target) {
    const n = Math.min(50_000, target - stored);
    write(Array.from({ length: n }, () => historyEvent(args.accounts, now)));
    stored += n;
    if (stored % 1_000_000 < n) log(`prefill ${fmt(stored)} / ${fmt(target)} (${fmt((stored - first) / ((performance.now() - started) / 1000))} rows/s)`);
  }
  db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  recomputeAllScores(db, { asOfDay: todayDay() });
}

function ceilingRate(write: (rows: readonly BenchEvent[]) => void, events: number, batchSize: number): number {
  // Rows are generated before the clock starts: the ceiling measures the database alone.
  const batches = Array.from({ length: Math.ceil(events / batchSize) }, () => Array.from({ length: batchSize }, () => liveEvent(args.accounts)));
  const started = performance.now();
  for (const batch of batches) write(batch);
  return (batches.length * batchSize) / ((performance.now() - started) / 1000);
}

async function startServer(): Promise<ChildProcess> {
  const busy = await fetch(`http://127.0.0.1:${args.port}/api/health`).then(
    () => true,
    () => false,
  );
  if (busy) throw new Error(`port ${args.port} is already in use: stop that server or pass --port`);
  const server = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(args.port), "-H", "127.0.0.1"], {
    env: { ...process.env, DATABASE_PATH: dbFile, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${args.port}/api/health`);
      if (res.ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill("SIGTERM");
  throw new Error("the server did not start");
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
}

function batchBody(): string {
  const now = Date.now();
  const batch = Array.from({ length: BATCH }, () => {
    const e = liveEvent(args.accounts, now);
    return {
      type: "track",
      messageId: e.messageId,
      event: TYPE_NAMES[e.typeIndex],
      userId: `user-${e.accountIndex}-${e.typeIndex}`,
      context: { groupId: accountExternalId(e.accountIndex), library: { name: "bench", version: "1" } },
      properties: { plan: "bench", value: e.typeIndex },
      timestamp: new Date(e.occurredAt).toISOString(),
    };
  });
  return JSON.stringify({ batch, sentAt: new Date(now).toISOString() });
}

interface HttpResult {
  rate: number;
  events: number;
  non2xx: number;
  scoresCurrentAfterMs: number;
}

async function httpRate(db: Database, key: string, events: number): Promise<HttpResult> {
  const server = await startServer();
  try {
    const before = storedEvents(db);
    const requests = Math.ceil(events / BATCH);
    const result = await autocannon({
      url: `http://127.0.0.1:${args.port}`,
      connections: SENDERS,
      amount: requests,
      timeout: 60,
      requests: [
        {
          method: "POST",
          path: "/v1/batch",
          headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` },
          setupRequest: (request) => ({ ...request, body: batchBody() }),
        },
      ],
    });
    const finished = Date.now();
    const stored = storedEvents(db) - before;
    // How long after the last response the scores reflect every stored event.
    let lag = 0;
    for (;;) {
      const mark = db.sqlite.prepare("SELECT last_event_id FROM score_sync WHERE id = 1").pluck().get() as number | undefined;
      if ((mark ?? 0) >= storedEvents(db)) break;
      await new Promise((r) => setTimeout(r, 10));
      lag = Date.now() - finished;
      if (lag > 120_000) throw new Error("scores did not catch up within two minutes");
    }
    return { rate: stored / result.duration, events: stored, non2xx: result.non2xx + result.errors, scoresCurrentAfterMs: lag };
  } finally {
    await stopServer(server);
  }
}

function csvRates(db: Database, write: (rows: readonly BenchEvent[]) => void): { ceiling: number; cli: number; cliWallSeconds: number } {
  const ceiling = ceilingRate(write, args.csvRows, CSV_CHUNK);
  const file = path.join(dataDir, "events.csv");
  const out = fs.openSync(file, "w");
  fs.writeSync(out, "account_id,event,timestamp,message_id\n");
  let lines: string[] = [];
  for (let i = 0; i < args.csvRows; i++) {
    const e = liveEvent(args.accounts);
    lines.push(`${accountExternalId(e.accountIndex)},${TYPE_NAMES[e.typeIndex]},${new Date(e.occurredAt).toISOString()},${e.messageId}`);
    if (lines.length === 10_000) {
      fs.writeSync(out, `${lines.join("\n")}\n`);
      lines = [];
    }
  }
  if (lines.length) fs.writeSync(out, `${lines.join("\n")}\n`);
  fs.closeSync(out);
  const started = performance.now();
  const output = execFileSync(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/import.ts", "--kind", "events", file, "--quiet"], {
    env: { ...process.env, DATABASE_PATH: dbFile },
    encoding: "utf8",
  });
  const wall = (performance.now() - started) / 1000;
  const match = /\(([\d,]+) rows\/s\)/.exec(output);
  if (!match?.[1] || !output.includes(`${args.csvRows.toLocaleString("en-US")} stored`)) throw new Error(`unexpected import output: ${output}`);
  void db;
  return { ceiling, cli: Number(match[1].replace(/,/g, "")), cliWallSeconds: wall };
}

async function main() {
  if (!fs.existsSync(".next/BUILD_ID")) {
    log("no production build yet: running next build");
    execFileSync(path.resolve("node_modules/.bin/next"), ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  log(`${args.accounts.toLocaleString("en-US")} accounts, sizes ${args.sizes.map(fmt).join(" → ")}, ${fmt(args.measure)} events per measurement`);
  const { db, accountIds, typeIds, key } = freshDatabase();
  const raw = createRawWriter(db.sqlite, accountIds, typeIds);

  const rows: { size: number; ceiling: number; perBatch: number; grouped: number; http: HttpResult }[] = [];
  let csv: { ceiling: number; cli: number; cliWallSeconds: number } | null = null;
  for (const size of args.sizes) {
    prefill(db, raw, size);
    log(`stored: ${fmt(storedEvents(db))} events; measuring the ceiling`);
    // The ceiling is the better of one batch per transaction and ten batches per
    // transaction (what group commit does with ten senders): the stricter comparison.
    const perBatch = ceilingRate(raw, args.measure, BATCH);
    const grouped = ceilingRate(raw, args.measure, BATCH * SENDERS);
    const ceiling = Math.max(perBatch, grouped);
    log(`ceiling ${fmt(ceiling)} events/s (${fmt(perBatch)} at ${BATCH}/transaction, ${fmt(grouped)} at ${BATCH * SENDERS}); measuring HTTP`);
    const http = await httpRate(db, key, args.measure);
    log(`HTTP ${fmt(http.rate)} events/s (${pct(http.rate / ceiling)} of the ceiling)`);
    rows.push({ size, ceiling, perBatch, grouped, http });
    if (!csv) {
      log("measuring the CSV import");
      csv = csvRates(db, raw);
      log(`CSV ${fmt(csv.cli)} rows/s (${pct(csv.cli / csv.ceiling)} of the ceiling)`);
    }
  }
  db.sqlite.close();

  const lines = [
    "",
    `Ingestion benchmark — ${new Date().toISOString().slice(0, 16)}Z, ${args.accounts.toLocaleString("en-US")} accounts, ${fmt(args.measure)} events per measurement`,
    "",
    "stored events   ceiling ev/s (500/tx · 5,000/tx)   /v1/batch ev/s   ratio   non-2xx   scores current after",
    ...rows.map(
      (r) =>
        `${fmt(r.size).padStart(13)}   ${fmt(r.ceiling).padStart(7)} (${fmt(r.perBatch)} · ${fmt(r.grouped)})`.padEnd(51) +
        `   ${fmt(r.http.rate).padStart(14)}   ${pct(r.http.rate / r.ceiling).padStart(5)}   ${String(r.http.non2xx).padStart(7)}   ${fmt(r.http.scoresCurrentAfterMs)} ms`,
    ),
  ];
  if (csv) {
    lines.push(
      "",
      `CSV import (${fmt(args.csvRows)} rows at ${fmt(rows[0]?.size ?? 0)} stored): ceiling ${fmt(csv.ceiling)} rows/s, npm run import ${fmt(csv.cli)} rows/s = ${pct(csv.cli / csv.ceiling)} (wall time with start-up ${csv.cliWallSeconds.toFixed(1)} s)`,
    );
  }
  const first = rows[0];
  const last = rows.at(-1);
  if (first && last && last !== first) {
    lines.push(
      "",
      `Sustained: /v1/batch at ${fmt(last.size)} = ${pct(last.http.rate / first.http.rate)} of the rate at ${fmt(first.size)}; ceiling ${pct(last.ceiling / first.ceiling)}`,
    );
  }
  lines.push("", "Targets: /v1/batch ≥ 50 % of ceiling · CSV ≥ 70 % · largest size ≥ 70 % of smallest", "");
  console.log(lines.join("\n"));
  fs.writeFileSync(path.join(dataDir, "results.txt"), lines.join("\n"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
