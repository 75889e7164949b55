/**
 * Part 1: ingestion, each rate beside the raw ceiling measured on the same database in the
 * same run (bench/lib/workload.ts):
 * - the ceiling: the better of 500 and 5,000 rows per transaction (group commit writes ten
 *   senders' batches together, so the stricter comparison takes the better one);
 * - /v1/batch of the production server: batches of 500, 10 concurrent senders (autocannon),
 *   every event a new random UUID, until `events` are stored; then how long until the
 *   scores reflect every stored event;
 * - the CSV CLI (`npm run import`) against the ceiling at its chunk size (10,000 rows).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db";
import { SqliteDb } from "@/db/sqlite-client";
import { createWriteKey } from "@/lib/server/write-keys";
import { removeWorkingCopy, workingCopy, type Dataset } from "../lib/dataset";
import { runLoad } from "../lib/http";
import type { BenchServer } from "../lib/server";
import { fmt, log } from "../lib/output";
import { ceilingRate, createRawWriter, readPopulation, segmentBatchBody, writeEventsCsv, type Population } from "../lib/workload";

export const BATCH = 500;
export const SENDERS = 10;
const CSV_CHUNK = 10_000;

export interface CeilingResult {
  rate: number;
  perBatch: number;
  grouped: number;
  /** CPU time per event at the better rate (µs): on a shared machine, less noisy than the rate. */
  cpuMicrosPerEvent: number;
}

/**
 * The raw ceiling's rate at `perTransaction` rows per transaction, on a fresh copy of the
 * dataset: every measurement (ceiling or server) starts from the same database, since each
 * one's rows make the next one's indexes bigger.
 */
function ceilingOnCopy(dataset: Dataset, events: number, perTransaction: number): { rate: number; cpuMicrosPerEvent: number } {
  const file = workingCopy(dataset, "ceiling");
  const db = openDatabase(file);
  try {
    const population = readPopulation(db.sqlite);
    const cpuBefore = process.cpuUsage();
    const rate = ceilingRate(createRawWriter(db.sqlite, population), population, events, perTransaction);
    const cpu = process.cpuUsage(cpuBefore);
    return { rate, cpuMicrosPerEvent: (cpu.user + cpu.system) / events };
  } finally {
    db.sqlite.close();
    removeWorkingCopy(file);
  }
}

/** The raw ceiling: the better of 500 and 5,000 rows per transaction. */
export function measureCeiling(dataset: Dataset, events: number): CeilingResult {
  const perBatch = ceilingOnCopy(dataset, events, BATCH);
  const grouped = ceilingOnCopy(dataset, events, BATCH * SENDERS);
  const best = grouped.rate >= perBatch.rate ? grouped : perBatch;
  log(`ceiling ${fmt(best.rate)} events/s (${fmt(perBatch.rate)} at ${BATCH}/transaction, ${fmt(grouped.rate)} at ${BATCH * SENDERS}; CPU ${best.cpuMicrosPerEvent.toFixed(0)} µs/event)`);
  return { rate: best.rate, perBatch: perBatch.rate, grouped: grouped.rate, cpuMicrosPerEvent: best.cpuMicrosPerEvent };
}

/** A fresh copy of the dataset for the server, with a write key to send with. */
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

export interface HttpIngestResult {
  rate: number;
  /** The server's CPU time per stored event (µs), sync included. */
  cpuMicrosPerEvent: number;
  events: number;
  seconds: number;
  failures: number;
  /** After the last response, how long until the scores reflected every stored event. */
  scoresCurrentAfterMs: number;
}

export async function measureHttpIngest(server: BenchServer, file: string, population: Population, writeKey: string, events: number): Promise<HttpIngestResult> {
  const { base } = server;
  const headers = { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}` };
  // Bodies are made before the clock starts: the load generator shares the machine.
  const bodies = Array.from({ length: Math.ceil(events / BATCH) }, () => segmentBatchBody(population, BATCH));
  await runLoad({ base, connections: SENDERS, amount: 20, requests: () => ({ method: "POST", path: "/v1/batch", body: segmentBatchBody(population, BATCH) }), headers });

  const db = openDatabase(file);
  try {
    const maxId = db.sqlite.prepare("SELECT coalesce(max(id), 0) FROM events").pluck();
    const watermark = db.sqlite.prepare("SELECT last_event_id FROM score_sync WHERE id = 1").pluck();
    const before = maxId.get() as number;
    let next = 0;
    const cpuBefore = server.cpuMillis();
    const load = await runLoad({
      base,
      connections: SENDERS,
      amount: bodies.length,
      requests: () => ({ method: "POST", path: "/v1/batch", body: bodies[next++ % bodies.length] }),
      headers,
    });
    const finished = performance.now();
    const stored = (maxId.get() as number) - before;
    let lag = 0;
    while (((watermark.get() as number | undefined) ?? 0) < (maxId.get() as number)) {
      await new Promise((r) => setTimeout(r, 10));
      lag = performance.now() - finished;
      if (lag > 120_000) throw new Error("the scores did not catch up within two minutes");
    }
    const cpuMicrosPerEvent = ((server.cpuMillis() - cpuBefore) * 1000) / stored;
    const rate = stored / load.seconds;
    log(
      `/v1/batch ${fmt(rate)} events/s (${fmt(stored)} events in ${load.seconds.toFixed(1)} s, p95 ${load.p95.toFixed(0)} ms per batch${load.failures ? `, ${load.failures} FAILED` : ""}); ` +
        `server CPU ${cpuMicrosPerEvent.toFixed(0)} µs/event; scores current ${fmt(lag)} ms after the last response`,
    );
    return { rate, cpuMicrosPerEvent, events: stored, seconds: load.seconds, failures: load.failures, scoresCurrentAfterMs: Math.round(lag) };
  } finally {
    db.sqlite.close();
  }
}

export interface CsvResult {
  ceiling: number;
  rate: number;
  rows: number;
  wallSeconds: number;
}

/** The CSV CLI (no server running) on a fresh copy of the dataset, beside the ceiling at the CLI's chunk size. */
export function measureCsv(dataset: Dataset, rows: number): CsvResult {
  const ceiling = ceilingOnCopy(dataset, rows, CSV_CHUNK).rate;
  const file = workingCopy(dataset, "csv");
  try {
    const db = openDatabase(file);
    const population = readPopulation(db.sqlite);
    db.sqlite.close();
    const csv = path.join(path.dirname(file), "bench-events.csv");
    writeEventsCsv(population, csv, rows);
    const started = performance.now();
    const output = execFileSync(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/import.ts", "--kind", "events", csv, "--quiet"], {
      env: { ...process.env, DATABASE_PATH: file },
      encoding: "utf8",
    });
    const wallSeconds = (performance.now() - started) / 1000;
    fs.rmSync(csv, { force: true });
    const match = /\(([\d,]+) rows\/s\)/.exec(output);
    if (!match?.[1] || !output.includes(`${rows.toLocaleString("en-US")} stored`)) throw new Error(`unexpected import output: ${output}`);
    const rate = Number(match[1].replace(/,/g, ""));
    log(`CSV import ${fmt(rate)} rows/s against a ceiling of ${fmt(ceiling)} at ${fmt(CSV_CHUNK)} rows per transaction`);
    return { ceiling, rate, rows, wallSeconds };
  } finally {
    removeWorkingCopy(file);
  }
}
