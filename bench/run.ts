/**
 * npm run bench [-- PART… --accounts 50000 --port 3340 --duration 10 --no-build --rebuild --quick]
 *
 * The performance benchmark (issue #8; never part of npm test). Builds or reuses a
 * deterministic dataset with the demo generator's benchmark profile (50,000 accounts,
 * 25 event types, 12 months, ~20 M events), starts the production server on a copy of it,
 * and measures, against the targets:
 *   ingest     /v1/batch (batches of 500, 10 senders) and the CSV CLI beside the bare
 *              reference (bench/reference/server.ts: node:http + better-sqlite3, day-first
 *              keys, the same durable work), at ~1 M and at ~20 M stored events, medians of
 *              --repeat alternating runs; the server's CPU per event
 *   views      p50/p95/p99 and req/s at 10 connections for every main view's data
 *   recompute  a weight change saved by an admin: full recompute of scores and history
 *   seed       `npm run db:seed` of the default demo (what `npm run demo` waits for)
 *   fit        the suggested-weights fit of the Insights page (issue #9), 50,000 × 20
 *   stall      20 connections on the most expensive view of a viewer, then of an admin, while
 *              single events arrive and a manager loads pages (issue #14): their p95s
 *   alerts     issue 17: band drop → signed webhook latency with live ingestion, the digest
 *              of 200 managers, and /v1/batch with alerts on against off
 * plus the server's peak memory over the run and the database size per million events.
 * --db postgres runs the ingestion (/v1/batch in the same rotation, the CSV CLI), views, stall
 * and recompute scenarios on PostgreSQL too (a durable server whose cluster stays under
 * bench/data/postgres, on --postgres-port; the dataset copied once with db/transfer.ts) and
 * reports both databases side by side. Not yet on PostgreSQL: operations, alerts.
 * With no PART, runs them all, prints the table, writes bench/results.json and the README's
 * Performance section. With PARTs, runs those and writes bench/data/results-partial.json.
 * Sizes: --accounts (events scale with it, ~400 per account), --baseline-days (the history
 * of the ~1 M-event dataset: same accounts, fewer days), --measure (events per ingestion
 * measurement), --csv-rows, --repeat (runs per ingestion figure); --quick shrinks everything
 * for a smoke run.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import BetterSqlite3 from "better-sqlite3";
import { openDatabase } from "@/db";
import { isoDateFromDay } from "@/lib/days";
import { BENCHMARK_DEMO_PROFILE } from "@/lib/demo/catalog";
import { BENCH_DATA_DIR, ensureDataset, ensureReferenceDataset, removeWorkingCopy, workingCopy, type Dataset } from "./lib/dataset";
import { signIn } from "./lib/http";
import { fmt, log } from "./lib/output";
import { preparePostgresIngestCopy, startBenchPostgres, type BenchPostgres } from "./lib/postgres";
import { figuresTable, markdownTable, show, table, TARGETS, verdict, writeReadmeSection, type Figure, type Target } from "./lib/report";
import { buildApp, hasBuild, startServer, type BenchServer, type MemoryPeak } from "./lib/server";
import { readPopulation } from "./lib/workload";
import { compareIngest, measureCsv, type CsvResult, type IngestComparison, type PostgresIngest } from "./parts/ingest";
import { measureRecompute, previewBodies, type RecomputeResult } from "./parts/scoring";
import { measureFit, type FitResult } from "./parts/fit";
import { measureDemoSeed, type SeedTimeResult } from "./parts/seed-time";
import { measureStall, type StallResult } from "./parts/stall";
import { measureViews, viewScenarios, type ViewResult } from "./parts/views";
import { measureAlerts, type AlertsResult } from "./parts/alerts";
import { measureOperationsCost, type OperationsResult } from "./parts/operations";

const PARTS = ["dataset", "ingest", "views", "stall", "recompute", "seed", "fit", "operations", "alerts"] as const;
type Part = (typeof PARTS)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    accounts: { type: "string" },
    "baseline-days": { type: "string" },
    measure: { type: "string" },
    "csv-rows": { type: "string" },
    repeat: { type: "string" },
    duration: { type: "string" },
    connections: { type: "string" },
    "stall-duration": { type: "string" },
    port: { type: "string" },
    only: { type: "string" },
    samples: { type: "string" },
    "no-build": { type: "boolean" },
    rebuild: { type: "boolean" },
    quick: { type: "boolean" },
    db: { type: "string" },
    "postgres-port": { type: "string" },
  },
});
const quick = values.quick ?? false;
const parsedArgs = z
  .object({
    parts: z.array(z.enum(PARTS, { error: `a part is one of ${PARTS.join(", ")}` })),
    accounts: z.coerce.number().int().min(100).max(1_000_000),
    baselineDays: z.coerce.number().int().min(1).max(365),
    measure: z.coerce.number().int().min(5_000),
    csvRows: z.coerce.number().int().min(1_000),
    repeat: z.coerce.number().int().min(1).max(15),
    duration: z.coerce.number().int().min(2).max(300),
    connections: z.coerce.number().int().min(1).max(100),
    stallDuration: z.coerce.number().int().min(5).max(600),
    port: z.coerce.number().int().min(1024).max(65_535),
    only: z.string().optional(),
    samples: z.coerce.number().int().min(3).max(500),
    db: z.enum(["sqlite", "postgres"], { error: "--db is sqlite (the default) or postgres (both databases, side by side)" }),
    postgresPort: z.coerce.number().int().min(1024).max(65_535).optional(),
  })
  .safeParse({
    parts: positionals,
    accounts: values.accounts ?? (quick ? 5_000 : 50_000),
    baselineDays: values["baseline-days"] ?? 20,
    measure: values.measure ?? (quick ? 50_000 : 500_000),
    csvRows: values["csv-rows"] ?? (quick ? 50_000 : 500_000),
    repeat: values.repeat ?? (quick ? 1 : 3),
    duration: values.duration ?? (quick ? 3 : 10),
    connections: values.connections ?? 10,
    stallDuration: values["stall-duration"] ?? (quick ? 10 : 30),
    port: values.port ?? process.env.BENCH_PORT ?? 3340,
    only: values.only,
    samples: values.samples ?? (quick ? 12 : 30),
    db: values.db ?? "sqlite",
    postgresPort: values["postgres-port"],
  });
if (!parsedArgs.success) {
  console.error(parsedArgs.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  process.exit(2);
}
const args = parsedArgs.data;
const full = args.parts.length === 0;
const runs = (part: Part) => full || args.parts.includes(part);

interface Results {
  dataset?: Dataset & { fileBytes: number; bytesPerMillionEvents: number; eventTypes: number };
  baseline?: Dataset;
  ingest?: {
    atBaseline: IngestComparison;
    atFull: IngestComparison;
    csv: CsvResult;
  };
  views?: ViewResult[];
  stall?: StallResult[];
  recompute?: RecomputeResult;
  seed?: SeedTimeResult;
  fit?: FitResult;
  alerts?: AlertsResult;
  operations?: OperationsResult;
  memory?: MemoryPeak;
  /** The same scenarios on PostgreSQL (--db postgres); its ingestion runs are in `ingest` beside SQLite's. */
  postgres?: {
    views?: ViewResult[];
    stall?: StallResult[];
    recompute?: RecomputeResult;
    csv?: CsvResult;
    copySeconds: Record<string, number>;
    settings: Record<string, string>;
    /** The full dataset's database: bytes in all and per table (heap, indexes, TOAST). */
    databaseBytes?: number;
    tableBytes?: Record<string, number>;
  };
}

const results: Results = {};
const loadSamples: number[] = [];
const loadSampler = setInterval(() => loadSamples.push(os.loadavg()[0] ?? 0), 5_000);

function peakMiB(m: MemoryPeak): number {
  return Math.max(m.treeBytes, m.processBytes) / 1024 ** 2;
}

function keepMemory(server: BenchServer): void {
  const m = server.memory();
  results.memory = {
    treeBytes: Math.max(results.memory?.treeBytes ?? 0, m.treeBytes),
    processBytes: Math.max(results.memory?.processBytes ?? 0, m.processBytes),
  };
}

async function withServer<T>(databaseFile: string, work: (server: BenchServer) => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const started = performance.now();
  const server = await startServer({ databaseFile, port: args.port, env });
  log(`server up on ${server.base} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  try {
    return await work(server);
  } catch (error) {
    console.error(server.output().slice(-4000));
    throw error;
  } finally {
    keepMemory(server);
    await server.stop();
  }
}

/** The production server on the PostgreSQL database `url` (DATABASE_URL wins over the unused DATABASE_PATH). */
function withPostgresServerAt<T>(url: string, work: (server: BenchServer) => Promise<T>): Promise<T> {
  return withServer(path.join(BENCH_DATA_DIR, "unused-on-postgres.db"), work, { DATABASE_URL: url });
}

/** The production server on a PostgreSQL copy of `datasetFile`, for one scenario; the copy is dropped after. */
async function withPostgresServer<T>(bench: BenchPostgres, datasetFile: string, scenario: string, work: (server: BenchServer, url: string) => Promise<T>): Promise<T> {
  const url = await bench.databaseFor(datasetFile, scenario);
  try {
    return await withPostgresServerAt(url, (server) => work(server, url));
  } finally {
    await bench.drop(url);
  }
}

/** What the stall scenario needs from the running views server: a viewer, a write key, pages to load. */
async function stallInputs(base: string, file: string, cookies: { manager: string; admin: string }) {
  const viewer = await signIn(base, "viewer");
  const key = await fetch(`${base}/api/admin/keys`, {
    method: "POST",
    headers: { cookie: cookies.admin, origin: base, "content-type": "application/json" },
    body: JSON.stringify({ label: "benchmark: stall scenario" }),
  });
  if (key.status !== 201) throw new Error(`creating a write key answered ${key.status}: ${await key.text()}`);
  const { key: writeKey } = z.object({ key: z.string() }).parse(await key.json());
  const bodies = await previewBodies(base, cookies.admin);
  const db = openDatabase(file);
  try {
    const scenarios = viewScenarios(db.sqlite, bodies);
    const pageUrls = ["overview", "list-low", "list-medium", "account-data", "segments"].flatMap(
      (id) => scenarios.find((s) => s.id === id)?.requests.slice(0, 50).map((r) => r.path) ?? [],
    );
    const asOfDay = db.sqlite.prepare("SELECT max(as_of_day) FROM account_scores").pluck().get() as number;
    return { base, cookies: { ...cookies, viewer }, writeKey, population: readPopulation(db.sqlite), pageUrls, previewBodies: bodies.slice(0, 8), asOfDate: isoDateFromDay(asOfDay) };
  } finally {
    db.sqlite.close();
  }
}

/** The PostgreSQL side of the results, made on first use. */
function postgresResults(bench: BenchPostgres): NonNullable<Results["postgres"]> {
  results.postgres ??= { copySeconds: {}, settings: bench.settings };
  return results.postgres;
}

/**
 * The views, stall and recompute parts (those asked for) against one running server; `file`
 * is a SQLite file holding the server's rows (its copy, or on PostgreSQL the dataset it was copied from), read for the inputs.
 */
async function viewsStallRecompute(server: BenchServer, file: string, keep: (r: { views?: ViewResult[]; stall?: StallResult[]; recompute?: RecomputeResult }) => void): Promise<void> {
  const cookies = { manager: await signIn(server.base, "manager"), admin: await signIn(server.base, "admin") };
  if (runs("views")) {
    const bodies = await previewBodies(server.base, cookies.admin);
    const source = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const scenarios = viewScenarios(source, bodies);
    source.close();
    keep({
      views: await measureViews(server.base, scenarios, cookies, {
        connections: args.connections,
        durationSeconds: args.duration,
        only: args.only?.split(","),
        peakMiB: () => peakMiB(server.memory()),
      }),
    });
  }
  if (runs("stall")) {
    keep({ stall: await measureStall(await stallInputs(server.base, file, cookies), { durationSeconds: args.stallDuration, connections: 20 }) });
    log(`  server peak memory so far ${peakMiB(server.memory()).toFixed(0)} MiB`);
  }
  if (runs("recompute")) {
    keep({ recompute: await measureRecompute(server.base, cookies.admin) });
    log(`  server peak memory so far ${peakMiB(server.memory()).toFixed(0)} MiB`);
  }
}

async function main(): Promise<void> {
  log(`${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  if (runs("seed")) results.seed = measureDemoSeed();
  if (runs("fit")) results.fit = measureFit({ rows: args.accounts, types: 20, runs: quick ? 1 : 3 });

  const needsMain = runs("dataset") || runs("ingest") || runs("views") || runs("stall") || runs("recompute") || runs("operations") || runs("alerts");
  if (needsMain) {
    const dataset = await ensureDataset({ accounts: args.accounts }, { rebuild: values.rebuild });
    const fileBytes = fs.statSync(dataset.file).size;
    results.dataset = { ...dataset, fileBytes, bytesPerMillionEvents: fileBytes / (dataset.events / 1e6), eventTypes: BENCHMARK_DEMO_PROFILE.eventTypes.length };
  }
  if (runs("ingest") || runs("dataset")) results.baseline = await ensureDataset({ accounts: args.accounts, historyDays: args.baselineDays }, { rebuild: values.rebuild });
  const dataset = results.dataset;

  if (dataset && (runs("views") || runs("stall") || runs("recompute") || runs("ingest") || runs("operations") || runs("alerts"))) {
    if (!values["no-build"]) buildApp();
    else if (!hasBuild()) throw new Error("--no-build, but there is no production build (.next/BUILD_ID)");
  }

  const postgresParts = runs("views") || runs("stall") || runs("recompute") || runs("ingest");
  const bench = dataset && args.db === "postgres" && postgresParts ? await startBenchPostgres({ port: args.postgresPort }) : undefined;
  try {
    if (dataset && (runs("views") || runs("stall") || runs("recompute"))) {
      const file = workingCopy(dataset, "views");
      await withServer(file, (server) => viewsStallRecompute(server, file, (r) => Object.assign(results, r)));
      removeWorkingCopy(file);
    }

    if (dataset && bench && (runs("views") || runs("stall") || runs("recompute"))) {
      log("PostgreSQL: the same views, stall and recompute");
      const postgres = postgresResults(bench);
      await withPostgresServer(bench, dataset.file, "views", async (server, url) => {
        const size = await bench.sizeOf(url);
        postgres.databaseBytes = size.total;
        postgres.tableBytes = size.tables;
        // The scenarios' inputs come from the SQLite file: the PostgreSQL copy holds the same rows.
        await viewsStallRecompute(server, dataset.file, (r) => Object.assign(postgres, r));
      });
      postgres.copySeconds = bench.copySeconds();
    }

    if (dataset && runs("ingest") && results.baseline) {
      const postgres: PostgresIngest | undefined = bench && {
        prepare: (d, name) => preparePostgresIngestCopy(bench, d.file, name),
        withServer: withPostgresServerAt,
      };
      const options = { events: args.measure, repeat: args.repeat, port: args.port, withProductServer: withServer, postgres };
      const atBaseline = await compareIngest(results.baseline, ensureReferenceDataset(results.baseline), options);
      const atFull = await compareIngest(dataset, ensureReferenceDataset(dataset), options);
      const csv = await measureCsv(dataset, args.csvRows, args.repeat);
      results.ingest = { atBaseline, atFull, csv };
      if (bench) {
        const pgResults = postgresResults(bench);
        pgResults.csv = await measureCsv(dataset, args.csvRows, args.repeat, async () => {
          const url = await bench.databaseFor(dataset.file, "csv");
          return { env: { DATABASE_URL: url }, done: () => bench.drop(url) };
        });
        pgResults.copySeconds = bench.copySeconds();
      }
    }
  } finally {
    bench?.stop();
  }

  if (dataset && runs("operations")) results.operations = await measureOperationsCost(dataset, args.measure, withServer, quick ? 1 : 2);
  if (dataset && runs("alerts")) {
    log(`alerts at ${fmt(dataset.accounts)} accounts`);
    results.alerts = await measureAlerts(dataset, { samples: args.samples, events: args.measure, rounds: 2 }, (file, env, work) => withServer(file, work, env));
  }
}

function figures(): Figure[] {
  const out: Figure[] = [];
  const ingest = results.ingest;
  if (ingest) {
    const { atFull, atBaseline, csv } = ingest;
    const millions = (n: number) => (n / 1e6).toFixed(1);
    out.push({ id: "ingest.http", label: `/v1/batch vs the bare reference at ${millions(atFull.stored)} M stored`, value: (atFull.product.rate / atFull.reference.rate) * 100, unit: "%", target: TARGETS.httpVsReference });
    out.push({ id: "ingest.httpBaseline", label: `/v1/batch vs the bare reference at ${millions(atBaseline.stored)} M stored`, value: (atBaseline.product.rate / atBaseline.reference.rate) * 100, unit: "%", target: TARGETS.httpVsReference });
    out.push({ id: "ingest.sustained", label: `/v1/batch at ${millions(atFull.stored)} M vs at ${millions(atBaseline.stored)} M stored`, value: (atFull.product.rate / atBaseline.product.rate) * 100, unit: "%", target: TARGETS.sustained });
    out.push({ id: "ingest.cpu", label: `/v1/batch server CPU per event at ${millions(atFull.stored)} M stored`, value: atFull.product.cpuMicrosPerEvent, unit: "µs", target: TARGETS.httpCpuMicros });
    const lag = Math.max(atFull.product.scoresCurrentAfterMs ?? 0, atBaseline.product.scoresCurrentAfterMs ?? 0);
    out.push({ id: "ingest.scoresLag", label: "Scores current after the last /v1/batch response (worst run)", value: lag, unit: "ms", target: TARGETS.scoresLagMs });
    out.push({ id: "ingest.csv", label: `CSV import (npm run import) vs the bare reference at ${millions(atFull.stored)} M stored`, value: (csv.rate / atFull.reference.rate) * 100, unit: "%", target: TARGETS.csvVsReference });
  }
  if (results.operations) {
    const o = results.operations;
    out.push({
      id: "operations.ingest",
      label: `/v1/batch while retention deletes and /metrics is scraped every second, vs alone`,
      value: (o.operated.rate / o.plain.rate) * 100,
      unit: "%",
      target: TARGETS.operationsVsPlain,
    });
  }
  if (results.recompute) out.push({ id: "recompute", label: `Full recompute, ${fmt(results.recompute.accounts)} accounts × 365 days`, value: results.recompute.millis / 1000, unit: "s", target: TARGETS.recomputeSeconds });
  for (const v of results.views ?? []) {
    const target = viewTarget(v);
    const note = target ? undefined : "for reference";
    out.push({ id: `views.${v.id}`, label: `${v.label}, p95 at ${args.connections} connections`, value: v.p95, unit: "ms", target, note });
  }
  for (const s of results.stall ?? []) {
    if (!s.attack) {
      out.push({ id: "stall.quiet.ingest", label: "Single-event ingestion p95, nobody hammering anything", value: s.ingest.p95, unit: "ms", note: "for comparison" });
      out.push({ id: "stall.quiet.pages", label: "Page data p95, nobody hammering anything", value: s.pages.p95, unit: "ms", note: "for comparison" });
      continue;
    }
    const during = `${s.attack.connections} connections of ${s.label}`;
    out.push({ id: `stall.${s.id}.ingest`, label: `Single-event ingestion p95, ${during}`, value: s.ingest.p95, unit: "ms", target: TARGETS.stallIngestP95 });
    out.push({ id: `stall.${s.id}.pages`, label: `Page data p95, ${during}`, value: s.pages.p95, unit: "ms", target: TARGETS.stallPagesP95 });
  }
  const alerts = results.alerts;
  if (alerts) {
    const accounts = results.dataset ? fmt(results.dataset.accounts) : "?";
    out.push({ id: "alerts.latencyP50", label: `Band drop to signed webhook, p50 of ${alerts.latency.samples} (${accounts} accounts, live ingestion)`, value: alerts.latency.p50 / 1000, unit: "s", target: TARGETS.alertLatencySeconds });
    out.push({ id: "alerts.latency", label: `Band drop to signed webhook, p95 of ${alerts.latency.samples} (${accounts} accounts, live ingestion)`, value: alerts.latency.p95 / 1000, unit: "s", target: TARGETS.alertLatencySeconds, note: alerts.latency.missed ? `${alerts.latency.missed} never arrived` : undefined });
    out.push({ id: "alerts.digest", label: `Daily digest, ${alerts.digest.managers} managers over ${fmt(alerts.digest.accounts)} accounts`, value: alerts.digest.millis / 1000, unit: "s", target: TARGETS.digestSeconds });
    out.push({ id: "alerts.ingest", label: "/v1/batch slower with alerts on (rules, worker, deliveries, a digest)", value: Math.max(0, alerts.ingest.slowdownPercent), unit: "%", target: TARGETS.alertsSlowdownPercent });
  }
  const postgres = results.postgres;
  if (ingest) {
    const millions = (n: number) => (n / 1e6).toFixed(1);
    for (const [id, at] of [["ingest.postgres", ingest.atFull], ["ingest.postgresBaseline", ingest.atBaseline]] as const) {
      if (!at.postgres) continue;
      out.push({ id, label: `PostgreSQL: /v1/batch vs on SQLite at ${millions(at.stored)} M stored (${fmt(at.postgres.rate)} vs ${fmt(at.product.rate)} events/s)`, value: (at.postgres.rate / at.product.rate) * 100, unit: "%", target: TARGETS.postgresVsSqlite });
    }
    if (ingest.atFull.postgres) {
      out.push({ id: "ingest.postgresCpu", label: `PostgreSQL: /v1/batch server CPU per event at ${millions(ingest.atFull.stored)} M stored (the database server's own CPU not included)`, value: ingest.atFull.postgres.cpuMicrosPerEvent, unit: "µs", note: "for reference" });
      const lag = Math.max(ingest.atFull.postgres.scoresCurrentAfterMs ?? 0, ingest.atBaseline.postgres?.scoresCurrentAfterMs ?? 0);
      out.push({ id: "ingest.postgresScoresLag", label: "PostgreSQL: scores current after the last /v1/batch response (worst run)", value: lag, unit: "ms", target: TARGETS.scoresLagMs });
    }
    if (postgres?.csv) {
      out.push({ id: "ingest.postgresCsv", label: `PostgreSQL: CSV import vs on SQLite (${fmt(postgres.csv.rate)} vs ${fmt(ingest.csv.rate)} rows/s)`, value: (postgres.csv.rate / ingest.csv.rate) * 100, unit: "%", note: "for reference" });
    }
  }
  for (const s of postgres?.stall ?? []) {
    if (!s.attack) continue;
    const during = `${s.attack.connections} connections of ${s.label}`;
    out.push({ id: `postgres.stall.${s.id}.ingest`, label: `PostgreSQL: single-event ingestion p95, ${during}`, value: s.ingest.p95, unit: "ms", target: TARGETS.stallIngestP95 });
    out.push({ id: `postgres.stall.${s.id}.pages`, label: `PostgreSQL: page data p95, ${during}`, value: s.pages.p95, unit: "ms", target: TARGETS.stallPagesP95 });
  }
  if (postgres?.recompute) {
    out.push({ id: "postgres.recompute", label: `PostgreSQL: full recompute, ${fmt(postgres.recompute.accounts)} accounts × 365 days`, value: postgres.recompute.millis / 1000, unit: "s", target: TARGETS.recomputeSeconds });
  }
  for (const v of postgres?.views ?? []) {
    const target = viewTarget(v);
    out.push({ id: `postgres.views.${v.id}`, label: `PostgreSQL: ${v.label}, p95 at ${args.connections} connections`, value: v.p95, unit: "ms", target, note: target ? undefined : "for reference" });
  }
  if (postgres?.databaseBytes !== undefined && results.dataset) {
    out.push({ id: "postgres.dbSize", label: "PostgreSQL: database size per million events", value: postgres.databaseBytes / (results.dataset.events / 1e6) / 1e6, unit: "MB" });
  }
  if (postgres?.copySeconds && results.dataset) {
    const seconds = postgres.copySeconds[results.dataset.file];
    if (seconds !== undefined) out.push({ id: "postgres.copy", label: `PostgreSQL: moving the dataset in (db:migrate-to-postgres's copy, verified)`, value: seconds, unit: "s", note: "for reference" });
  }
  if (results.memory) out.push({ id: "memory", label: "Server peak resident memory, whole run", value: peakMiB(results.memory), unit: "MiB", target: TARGETS.memoryMiB });
  if (results.dataset) out.push({ id: "dbSize", label: "Database size per million events", value: results.dataset.bytesPerMillionEvents / 1e6, unit: "MB" });
  if (results.seed) out.push({ id: "seed", label: "Seeding the default demo (npm run db:seed)", value: results.seed.millis / 1000, unit: "s", target: TARGETS.seedSeconds });
  if (results.fit) out.push({ id: "fit", label: `Suggested-weights fit, ${fmt(results.fit.rows)} accounts × ${results.fit.types} event types (slowest of ${results.fit.runs})`, value: results.fit.maxMillis / 1000, unit: "s", target: TARGETS.fitSeconds });
  return out;
}

function viewTarget(v: ViewResult): Target | undefined {
  if (v.id === "account-data") return TARGETS.accountDataP95;
  switch (v.group) {
    case "teams":
      return TARGETS.teamsP95;
    case "preview":
      return TARGETS.previewMs;
    case "lists":
      return TARGETS.listsP95;
    case "pages":
      return v.id === "account-page" || v.id === "list-page" ? TARGETS.pagesP95 : undefined;
  }
}

function machine() {
  const cpus = os.cpus();
  // A run shorter than the sampling interval has only the load average at its end.
  const samples = loadSamples.length ? loadSamples : [os.loadavg()[0] ?? 0];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return {
    cpu: cpus[0]?.model ?? "?",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: { meanDuringRun: Number(mean.toFixed(2)), max: Number(Math.max(...samples).toFixed(2)), atEnd: os.loadavg().map((l) => Number(l.toFixed(2))) },
  };
}

function report(): void {
  const figs = figures();
  const m = machine();
  const lines: string[] = [""];
  const d = results.dataset;
  lines.push(
    `CES benchmark — ${new Date().toISOString().slice(0, 16)}Z — ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, load average ${m.loadAverage.meanDuringRun} (mean during the run; max ${m.loadAverage.max})`,
  );
  if (d) lines.push(`Dataset: ${fmt(d.accounts)} accounts, ${d.eventTypes} event types, ${fmt(d.events)} events over 12 months, ${fmt(d.rollups)} daily rollups, ${(d.fileBytes / 1024 ** 3).toFixed(2)} GiB`);
  const views = results.views ?? [];
  if (views.length) {
    lines.push("", `Views (${args.connections} connections, ${args.duration} s each; latency in ms):`, "");
    lines.push(
      table(
        ["view", "URLs", "req/s", "p50", "p95", "p99", "max", "cold", "fail", "verdict"],
        views.map((v) => {
          const f = figs.find((x) => x.id === `views.${v.id}`);
          return [v.label, String(v.urls), v.requestsPerSecond.toFixed(0), v.p50.toFixed(0), v.p95.toFixed(0), v.p99.toFixed(0), v.max.toFixed(0), String(Math.max(...v.coldMs)), String(v.failures), f?.target ? `${f.target.op} ${show(f.target.value, "ms")}: ${verdict(f).text}` : "for reference"];
        }),
        [false, true, true, true, true, true, true, true, true, false],
      ),
    );
  }
  const pgViews = results.postgres?.views ?? [];
  if (pgViews.length) {
    lines.push("", `Views on PostgreSQL beside SQLite (${args.connections} connections, ${args.duration} s each; p50 / p95 in ms):`, "");
    lines.push(
      table(
        ["view", "SQLite p50", "SQLite p95", "PostgreSQL p50", "PostgreSQL p95", "PostgreSQL req/s", "fail"],
        pgViews.map((v) => {
          const lite = views.find((x) => x.id === v.id);
          return [v.label, lite ? lite.p50.toFixed(0) : "", lite ? lite.p95.toFixed(0) : "", v.p50.toFixed(0), v.p95.toFixed(0), v.requestsPerSecond.toFixed(0), String(v.failures)];
        }),
        [false, true, true, true, true, true, true],
      ),
    );
    const copy = Object.values(results.postgres?.copySeconds ?? {});
    if (copy.length) lines.push("", `Copying the dataset into PostgreSQL (npm run db:migrate-to-postgres's code, verified): ${copy.map((c) => `${c.toFixed(0)} s`).join(", ")}`);
  }
  const stall = results.stall ?? [];
  if (stall.length) {
    lines.push("", `Stall (${args.stallDuration} s each; events 20/s, page data 10/s, health 5/s, open-loop; latency p95 / max in ms):`, "");
    lines.push(
      table(
        ["20 connections of", "attacked req/s", "attacked p95", "ingestion", "page data", "health", "failures (attack/ingest/pages)"],
        stall.map((s) => [
          s.label,
          s.attack ? s.attack.requestsPerSecond.toFixed(0) : "",
          s.attack ? s.attack.p95.toFixed(0) : "",
          `${s.ingest.p95.toFixed(0)} / ${s.ingest.max.toFixed(0)}`,
          `${s.pages.p95.toFixed(0)} / ${s.pages.max.toFixed(0)}`,
          `${s.health.p95.toFixed(0)} / ${s.health.max.toFixed(0)}`,
          `${s.attack?.failures ?? 0}/${s.ingest.failures}/${s.pages.failures}`,
        ]),
        [false, true, true, true, true, true, true],
      ),
    );
  }
  const ingest = results.ingest;
  if (ingest) {
    lines.push("", `Ingestion (events/s, medians of ${args.repeat} alternating run${args.repeat === 1 ? "" : "s"} each; the server's CPU µs and KB written per event):`, "");
    const rows = [ingest.atBaseline, ingest.atFull];
    lines.push(
      table(
        ["stored events", "reference", "CPU µs", "KB", "/v1/batch", "CPU µs", "KB", "ratio", "runs (reference · /v1/batch)", "failures", "scores current after"],
        rows.map((r) => [
          fmt(r.stored),
          fmt(r.reference.rate),
          r.reference.cpuMicrosPerEvent.toFixed(0),
          (r.reference.bytesWrittenPerEvent / 1024).toFixed(1),
          fmt(r.product.rate),
          r.product.cpuMicrosPerEvent.toFixed(0),
          (r.product.bytesWrittenPerEvent / 1024).toFixed(1),
          `${((r.product.rate / r.reference.rate) * 100).toFixed(0)} %`,
          `${r.runs.reference.map((x) => fmt(x.rate)).join(", ")} · ${r.runs.product.map((x) => fmt(x.rate)).join(", ")}`,
          String(r.product.failures + r.reference.failures),
          `${fmt(r.product.scoresCurrentAfterMs ?? 0)} ms`,
        ]),
        [true, true, true, true, true, true, true, true, false, true, true],
      ),
    );
    lines.push("", `CSV import of ${fmt(ingest.csv.rows)} rows: ${fmt(ingest.csv.rate)} rows/s (runs ${ingest.csv.rates.map(fmt).join(", ")}) against the reference's ${fmt(ingest.atFull.reference.rate)} events/s; wall time with start-up ${ingest.csv.wallSeconds.toFixed(1)} s`);
  }
  const pgIngest = ingest ? [ingest.atBaseline, ingest.atFull].filter((r) => r.postgres) : [];
  if (ingest && pgIngest.length) {
    lines.push("", `Ingestion through /v1/batch on PostgreSQL beside SQLite (events/s, medians of ${args.repeat} run${args.repeat === 1 ? "" : "s"}, same batches, same rotation):`, "");
    lines.push(
      table(
        ["stored events", "SQLite", "PostgreSQL", "ratio", "PostgreSQL runs", "p95 per batch (SQLite / PostgreSQL)", "scores current after (SQLite / PostgreSQL)"],
        pgIngest.map((r) => [
          fmt(r.stored),
          fmt(r.product.rate),
          fmt(r.postgres?.rate ?? 0),
          `${(((r.postgres?.rate ?? 0) / r.product.rate) * 100).toFixed(0)} %`,
          (r.runs.postgres ?? []).map((x) => fmt(x.rate)).join(", "),
          `${r.product.p95BatchMs.toFixed(0)} / ${(r.postgres?.p95BatchMs ?? 0).toFixed(0)} ms`,
          `${fmt(r.product.scoresCurrentAfterMs ?? 0)} / ${fmt(r.postgres?.scoresCurrentAfterMs ?? 0)} ms`,
        ]),
        [true, true, true, true, false, true, true],
      ),
    );
    const csv = results.postgres?.csv;
    if (csv) lines.push("", `CSV import of ${fmt(csv.rows)} rows on PostgreSQL: ${fmt(csv.rate)} rows/s (runs ${csv.rates.map(fmt).join(", ")}) against ${fmt(ingest.csv.rate)} on SQLite`);
  }
  const pgStall = results.postgres?.stall ?? [];
  if (pgStall.length) {
    lines.push("", "Stall on PostgreSQL beside SQLite (p95 in ms: ingestion / page data):", "");
    lines.push(
      table(
        ["20 connections of", "SQLite", "PostgreSQL", "PostgreSQL failures (attack/ingest/pages)"],
        pgStall.map((s) => {
          const lite = stall.find((x) => x.id === s.id);
          return [s.label, lite ? `${lite.ingest.p95.toFixed(0)} / ${lite.pages.p95.toFixed(0)}` : "", `${s.ingest.p95.toFixed(0)} / ${s.pages.p95.toFixed(0)}`, `${s.attack?.failures ?? 0}/${s.ingest.failures}/${s.pages.failures}`];
        }),
        [false, true, true, true],
      ),
    );
  }
  const pg = results.postgres;
  if (pg?.databaseBytes !== undefined && d) {
    const perEvent = (bytes: number) => (bytes / d.events).toFixed(0);
    const tables = Object.entries(pg.tableBytes ?? {}).slice(0, 6).map(([t, b]) => `${t} ${(b / 1024 ** 3).toFixed(2)} GiB`);
    lines.push("", `PostgreSQL database: ${(pg.databaseBytes / 1024 ** 3).toFixed(2)} GiB, ${perEvent(pg.databaseBytes)} bytes per event (SQLite ${perEvent(d.fileBytes)}); largest tables ${tables.join(", ")}`);
    lines.push(`PostgreSQL settings: ${Object.entries(pg.settings).map(([k, v]) => `${k}=${v}`).join(", ")}; fsync, synchronous_commit and full_page_writes on (the defaults)`);
  }
  const operations = operationsLine();
  if (operations) lines.push("", operations);
  lines.push("", "Targets:", "", figuresTable(figs), "");
  const missed = figs.filter((f) => verdict(f).met === false);
  lines.push(missed.length === 0 ? "Every target met." : `${missed.length} target${missed.length === 1 ? "" : "s"} missed: ${missed.map((f) => f.label).join("; ")}.`, "");
  console.log(lines.join("\n"));

  const out = {
    at: new Date().toISOString(),
    machine: m,
    options: { ...args, quick },
    dataset: d ? { ...d, file: path.relative(process.cwd(), d.file) } : undefined,
    baseline: results.baseline ? { ...results.baseline, file: path.relative(process.cwd(), results.baseline.file) } : undefined,
    ingest: results.ingest,
    operations: results.operations,
    recompute: results.recompute,
    views: results.views,
    stall: results.stall,
    memory: results.memory,
    seed: results.seed,
    fit: results.fit,
    alerts: results.alerts,
    postgres: results.postgres,
    figures: figs.map((f) => ({ ...f, verdict: verdict(f).text || null, met: verdict(f).met })),
  };
  const target = full && !quick ? "bench/results.json" : "bench/data/results-partial.json";
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
  log(`wrote ${target}`);
  if (full && !quick) {
    writeReadmeSection("README.md", readmeSection(figs, m));
    log("updated the README's Performance section");
  }
  if (missed.length > 0) process.exitCode = 1;
}

/** The absolute ingestion rates behind the ratios, in one sentence. */
/** What retention and metrics cost ingestion, in one sentence. */
function operationsLine(): string {
  const o = results.operations;
  if (!o) return "";
  return `Operations: ${fmt(o.plain.rate)} events/s through /v1/batch alone, ${fmt(o.operated.rate)} events/s while the retention job deleted ${fmt(o.retentionDeleted)} raw events${o.retentionStillRunning ? " (its first run still deleting when the measurement ended)" : ""} and /metrics was scraped every second (${fmt(o.scrapes)} scrapes, p95 ${o.scrapeP95Ms.toFixed(0)} ms).`;
}

function ingestionLine(): string {
  const ingest = results.ingest;
  if (!ingest) return "";
  const at = (r: IngestComparison) =>
    `${fmt(r.product.rate)} events/s through /v1/batch (${r.product.cpuMicrosPerEvent.toFixed(0)} µs of server CPU per event) against the bare reference's ${fmt(r.reference.rate)} (${r.reference.cpuMicrosPerEvent.toFixed(0)} µs) at ${(r.stored / 1e6).toFixed(1)} M stored events`;
  return `Ingestion (medians of ${args.repeat} alternating runs): ${at(ingest.atBaseline)}, and ${at(ingest.atFull)}; the CSV import ${fmt(ingest.csv.rate)} rows/s.`;
}

function readmeSection(figs: readonly Figure[], m: ReturnType<typeof machine>): string {
  const d = results.dataset;
  const views = results.views ?? [];
  const parts = [
    `Latest \`npm run bench\`: ${new Date().toISOString().slice(0, 10)}, on ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; ` +
      `load average ${m.loadAverage.meanDuringRun} on average during the run, the benchmark's own load included (max ${m.loadAverage.max}).`,
    d ? `Dataset: ${fmt(d.accounts)} accounts, ${d.eventTypes} event types, ${fmt(d.events)} events over 12 months (${(d.fileBytes / 1024 ** 3).toFixed(2)} GiB).` : "",
    markdownTable(
      ["figure", "value", "target", ""],
      figs.map((f) => [f.label, show(f.value, f.unit), f.target ? `${f.target.op} ${show(f.target.value, f.unit)}` : "", verdict(f).text || (f.note ?? "")]),
      [false, true, true, false],
    ),
    ingestionLine(),
    operationsLine(),
    views.length
      ? markdownTable(
          ["view (10 connections)", "req/s", "p50 ms", "p95 ms", "p99 ms"],
          views.map((v) => [v.label, v.requestsPerSecond.toFixed(0), v.p50.toFixed(0), v.p95.toFixed(0), v.p99.toFixed(0)]),
          [false, true, true, true, true],
        )
      : "",
    (results.postgres?.views ?? []).length
      ? markdownTable(
          ["view on PostgreSQL (10 connections)", "req/s", "p50 ms", "p95 ms", "p99 ms", "SQLite p95 ms"],
          (results.postgres?.views ?? []).map((v) => [
            v.label,
            v.requestsPerSecond.toFixed(0),
            v.p50.toFixed(0),
            v.p95.toFixed(0),
            v.p99.toFixed(0),
            views.find((x) => x.id === v.id)?.p95.toFixed(0) ?? "",
          ]),
          [false, true, true, true, true, true],
        )
      : "",
  ];
  return parts.filter(Boolean).join("\n\n");
}

process.on("SIGINT", () => process.exit(130));
// exit, not the default kill: the "exit" handlers stop the servers and the PostgreSQL cluster this run started.
process.on("SIGTERM", () => process.exit(143));
main()
  .then(() => {
    clearInterval(loadSampler);
    report();
  })
  .catch((error: unknown) => {
    clearInterval(loadSampler);
    console.error(error);
    process.exit(1);
  });

