/**
 * Part 1: ingestion, held to the bare reference (bench/reference/server.ts, issue 19):
 * plain node:http + better-sqlite3 with day-first keys doing the same durable work.
 * At each stored size, the reference and the product take the same Segment batches
 * (500 track calls each, random message ids and accounts, 10 concurrent senders) on fresh
 * copies of the same history; runs alternate (reference, product, reference, …) and each
 * figure is the median of its runs, so slow minutes of a shared machine hit both alike.
 * For the product it also measures the server's CPU per event and how long after the last
 * response the scores reflected every stored event. The CSV CLI (`npm run import`) is held
 * to the reference's /v1/batch rate at the full size.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { openDatabase } from "@/db";
import { SqliteDb } from "@/db/sqlite-client";
import { createWriteKey } from "@/lib/ingestion/server/write-keys";
import type pg from "pg";
import { BENCH_DATA_DIR, removeWorkingCopy, workingCopy, type Dataset, type ReferenceDataset } from "../lib/dataset";
import { runLoad } from "../lib/http";
import { startReference, type BenchServer } from "../lib/server";
import { fmt, log } from "../lib/output";
import { readPopulation, segmentBatchBody, writeEventsCsv, type Population } from "../lib/workload";

export const BATCH = 500;
export const SENDERS = 10;
const REFERENCE_WRITE_KEY = "reference-write-key";

export interface HttpIngestRun {
  rate: number;
  /** The server's CPU time per stored event (µs), score maintenance included. */
  cpuMicrosPerEvent: number;
  /** Bytes the server wrote per stored event (WAL, checkpoints into the database, responses). */
  bytesWrittenPerEvent: number;
  events: number;
  seconds: number;
  failures: number;
  /** p95 of one batch's round trip (ms). */
  p95BatchMs: number;
  /** Product only: after the last response, how long until the scores reflected every stored event. */
  scoresCurrentAfterMs?: number;
}

export interface IngestComparison {
  stored: number;
  /** Medians over the runs. */
  reference: HttpIngestRun;
  product: HttpIngestRun;
  /** The product on PostgreSQL (--db postgres), medians over its runs. */
  postgres?: HttpIngestRun;
  runs: { reference: HttpIngestRun[]; product: HttpIngestRun[]; postgres?: HttpIngestRun[] };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function medianRun(runs: readonly HttpIngestRun[]): HttpIngestRun {
  const of = (pick: (r: HttpIngestRun) => number) => median(runs.map(pick));
  const lags = runs.map((r) => r.scoresCurrentAfterMs).filter((l) => l !== undefined);
  return {
    rate: of((r) => r.rate),
    cpuMicrosPerEvent: of((r) => r.cpuMicrosPerEvent),
    bytesWrittenPerEvent: of((r) => r.bytesWrittenPerEvent),
    events: of((r) => r.events),
    seconds: of((r) => r.seconds),
    failures: runs.reduce((n, r) => n + r.failures, 0),
    p95BatchMs: of((r) => r.p95BatchMs),
    // The worst run: the guarantee is "within a second", not "usually".
    scoresCurrentAfterMs: lags.length ? Math.max(...lags) : undefined,
  };
}

/** A fresh copy of the product dataset for the server, with its population and a write key to send with. */
export async function prepareIngestCopy(dataset: Dataset, name: string): Promise<{ file: string; population: Population; writeKey: string }> {
  const file = workingCopy(dataset, name);
  const db = openDatabase(file);
  try {
    const writeKey = (await createWriteKey(new SqliteDb(db.sqlite, db.file), { actor: { id: "bench", name: "Benchmark" }, label: "benchmark" })).key;
    db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    return { file, population: readPopulation(db.sqlite), writeKey };
  } finally {
    db.sqlite.close();
  }
}

function basicAuth(writeKey: string): Record<string, string> {
  return { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}` };
}

/** What the ingestion measurement reads from the database besides HTTP: on SQLite the file, on PostgreSQL a connection. */
export interface EventProbe {
  /** The newest stored event's id. */
  maxEventId(): Promise<number>;
  /** The newest event id the scores reflect (score_sync's watermark). */
  scoreWatermark(): Promise<number>;
  close(): Promise<void>;
}

export function sqliteProbe(file: string): EventProbe {
  const sqlite = new BetterSqlite3(file, { readonly: true });
  const maxId = sqlite.prepare("SELECT coalesce(max(id), 0) FROM events").pluck();
  return {
    maxEventId: () => Promise.resolve(maxId.get() as number),
    // Prepared when asked: the bare reference has no scores.
    scoreWatermark: () => Promise.resolve((sqlite.prepare("SELECT last_event_id FROM score_sync WHERE id = 1").pluck().get() as number | undefined) ?? 0),
    close: () => Promise.resolve(void sqlite.close()),
  };
}

/** The same reads on PostgreSQL, through `client` (closed with the probe). */
export function postgresProbe(client: pg.Client): EventProbe {
  const one = async (sql: string) => Number((await client.query<{ n: string | number | null }>(sql)).rows[0]?.n ?? 0);
  return {
    maxEventId: () => one("SELECT coalesce(max(id), 0) AS n FROM events"),
    scoreWatermark: () => one("SELECT last_event_id AS n FROM score_sync WHERE id = 1"),
    close: () => client.end(),
  };
}

/**
 * Sends `bodies` to /v1/batch at SENDERS connections (after a warm-up of 20 other batches)
 * and counts what was stored; for the product (`waitForScores`) it then waits until the
 * scores reflect it.
 */
async function sendBatches(server: BenchServer, probe: EventProbe, writeKey: string, bodies: readonly string[], population: Population, waitForScores: boolean): Promise<HttpIngestRun> {
  const headers = basicAuth(writeKey);
  await runLoad({ base: server.base, connections: SENDERS, amount: 20, requests: () => ({ method: "POST", path: "/v1/batch", body: segmentBatchBody(population, BATCH) }), headers });
  const before = await probe.maxEventId();
  let next = 0;
  const cpuBefore = server.cpuMillis();
  const writtenBefore = server.writtenBytes();
  const load = await runLoad({
    base: server.base,
    connections: SENDERS,
    amount: bodies.length,
    requests: () => ({ method: "POST", path: "/v1/batch", body: bodies[next++ % bodies.length] }),
    headers,
  });
  const stored = (await probe.maxEventId()) - before;
  const lag = waitForScores ? await scoresCaughtUp(probe) : undefined;
  return {
    rate: stored / load.seconds,
    cpuMicrosPerEvent: ((server.cpuMillis() - cpuBefore) * 1000) / Math.max(1, stored),
    bytesWrittenPerEvent: (server.writtenBytes() - writtenBefore) / Math.max(1, stored),
    events: stored,
    seconds: load.seconds,
    failures: load.failures,
    p95BatchMs: load.p95,
    scoresCurrentAfterMs: lag,
  };
}

/** After the last response: ms until the score watermark reached the newest event. */
async function scoresCaughtUp(probe: EventProbe): Promise<number> {
  const finished = performance.now();
  let lag = 0;
  while ((await probe.scoreWatermark()) < (await probe.maxEventId())) {
    await new Promise((r) => setTimeout(r, 10));
    lag = performance.now() - finished;
    if (lag > 120_000) throw new Error("the scores did not catch up within two minutes");
  }
  return Math.round(lag);
}

function describe(name: string, run: HttpIngestRun): string {
  const lag = run.scoresCurrentAfterMs === undefined ? "" : `; scores current ${fmt(run.scoresCurrentAfterMs)} ms after the last response`;
  return `${name} ${fmt(run.rate)} events/s (${fmt(run.events)} in ${run.seconds.toFixed(1)} s, p95 ${run.p95BatchMs.toFixed(0)} ms per batch${run.failures ? `, ${run.failures} FAILED` : ""}); CPU ${run.cpuMicrosPerEvent.toFixed(0)} µs/event, ${(run.bytesWrittenPerEvent / 1024).toFixed(1)} KB written/event${lag}`;
}

/** The result of one /v1/batch measurement on the product (the operations part compares two). */
export type HttpIngestResult = HttpIngestRun;

/** /v1/batch alone on the product: `events` fresh random events, scores caught up after. */
export async function measureHttpIngest(server: BenchServer, file: string, population: Population, writeKey: string, events: number): Promise<HttpIngestResult> {
  const bodies = Array.from({ length: Math.ceil(events / BATCH) }, () => segmentBatchBody(population, BATCH));
  const probe = sqliteProbe(file);
  try {
    return await sendBatches(server, probe, writeKey, bodies, population, true);
  } finally {
    await probe.close();
  }
}

export interface CompareOptions {
  events: number;
  repeat: number;
  port: number;
  /** Runs `work` against the product server started on `file` (run.ts keeps its memory figures). */
  withProductServer: <T>(file: string, work: (server: BenchServer) => Promise<T>) => Promise<T>;
  /** --db postgres: the product on a PostgreSQL copy of the same history as well, in the same rotation. */
  postgres?: PostgresIngest;
}

/** The product on PostgreSQL, for the ingestion comparison. */
export interface PostgresIngest {
  /** A fresh PostgreSQL copy of `dataset` with a write key, and a probe on it; `done` drops it. */
  prepare(dataset: Dataset, name: string): Promise<{ url: string; writeKey: string; probe: EventProbe; done(): Promise<void> }>;
  /** Runs `work` against the product server started on the database `url`. */
  withServer<T>(url: string, work: (server: BenchServer) => Promise<T>): Promise<T>;
}

/** The reference and /v1/batch on the same history, `repeat` times each, alternating. */
export async function compareIngest(product: Dataset, reference: ReferenceDataset, options: CompareOptions): Promise<IngestComparison> {
  log(`ingestion at ${fmt(product.events)} stored events: reference and /v1/batch, ${options.repeat} run${options.repeat === 1 ? "" : "s"} each`);
  const population = (() => {
    const sqlite = new BetterSqlite3(product.file, { readonly: true });
    try {
      return readPopulation(sqlite);
    } finally {
      sqlite.close();
    }
  })();
  // The same batches for both servers, made before any clock starts (the load generator shares the machine).
  const bodies = Array.from({ length: Math.ceil(options.events / BATCH) }, () => segmentBatchBody(population, BATCH));
  const runs: IngestComparison["runs"] = { reference: [], product: [], ...(options.postgres ? { postgres: [] } : {}) };
  for (let i = 1; i <= options.repeat; i++) {
    const refFile = workingCopy(reference, "reference");
    try {
      const server = await startReference({ databaseFile: refFile, port: options.port, writeKey: REFERENCE_WRITE_KEY });
      try {
        const probe = sqliteProbe(refFile);
        const run = await sendBatches(server, probe, REFERENCE_WRITE_KEY, bodies, population, false).finally(() => probe.close());
        runs.reference.push(run);
        log(`  ${i}/${options.repeat} ${describe("reference", run)}`);
      } finally {
        await server.stop();
      }
    } finally {
      removeWorkingCopy(refFile);
    }

    const { file, writeKey } = await prepareIngestCopy(product, "ingest");
    try {
      const probe = sqliteProbe(file);
      const run = await options.withProductServer(file, (server) => sendBatches(server, probe, writeKey, bodies, population, true)).finally(() => probe.close());
      runs.product.push(run);
      log(`  ${i}/${options.repeat} ${describe("/v1/batch", run)}`);
    } finally {
      removeWorkingCopy(file);
    }

    if (options.postgres) {
      const copy = await options.postgres.prepare(product, "ingest");
      try {
        const run = await options.postgres.withServer(copy.url, (server) => sendBatches(server, copy.probe, copy.writeKey, bodies, population, true));
        runs.postgres?.push(run);
        log(`  ${i}/${options.repeat} ${describe("/v1/batch on PostgreSQL", run)}`);
      } finally {
        await copy.probe.close();
        await copy.done();
      }
    }
  }
  const result: IngestComparison = { stored: product.events, reference: medianRun(runs.reference), product: medianRun(runs.product), postgres: runs.postgres ? medianRun(runs.postgres) : undefined, runs };
  const pgLine = result.postgres ? `, on PostgreSQL ${fmt(result.postgres.rate)}` : "";
  log(`  medians: reference ${fmt(result.reference.rate)}, /v1/batch ${fmt(result.product.rate)} events/s (${((result.product.rate / result.reference.rate) * 100).toFixed(0)} %)${pgLine}`);
  return result;
}

export interface CsvResult {
  /** Median rows/s of the runs. */
  rate: number;
  rates: number[];
  rows: number;
  wallSeconds: number;
}

/** Where one CSV run imports into: the environment naming its database, and how to remove it after. */
export interface CsvTarget {
  env: Record<string, string>;
  done(): Promise<void>;
}

/** The CSV CLI (no server running) on fresh copies of the dataset, `repeat` times: SQLite copies unless `target` makes others. */
export async function measureCsv(dataset: Dataset, rows: number, repeat: number, target?: () => Promise<CsvTarget>): Promise<CsvResult> {
  const rates: number[] = [];
  let wallSeconds = 0;
  const population = (() => {
    const sqlite = new BetterSqlite3(dataset.file, { readonly: true });
    try {
      return readPopulation(sqlite);
    } finally {
      sqlite.close();
    }
  })();
  const sqliteCopy = (): Promise<CsvTarget> => {
    const file = workingCopy(dataset, "csv");
    return Promise.resolve({ env: { DATABASE_PATH: file }, done: () => Promise.resolve(removeWorkingCopy(file)) });
  };
  const where = target ? "PostgreSQL" : "SQLite";
  for (let i = 1; i <= repeat; i++) {
    const copy = await (target ?? sqliteCopy)();
    try {
      const csv = path.join(BENCH_DATA_DIR, "bench-events.csv");
      writeEventsCsv(population, csv, rows);
      const started = performance.now();
      const output = execFileSync(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/import.ts", "--kind", "events", csv, "--quiet"], {
        env: { ...process.env, ...copy.env },
        encoding: "utf8",
      });
      wallSeconds = Math.max(wallSeconds, (performance.now() - started) / 1000);
      fs.rmSync(csv, { force: true });
      const match = /\(([\d,]+) rows\/s\)/.exec(output);
      if (!match?.[1] || !output.includes(`${rows.toLocaleString("en-US")} stored`)) throw new Error(`unexpected import output: ${output}`);
      rates.push(Number(match[1].replace(/,/g, "")));
      log(`CSV import on ${where} ${i}/${repeat}: ${fmt(rates.at(-1) ?? 0)} rows/s`);
    } finally {
      await copy.done();
    }
  }
  return { rate: median(rates), rates, rows, wallSeconds };
}
