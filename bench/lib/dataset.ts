/**
 * The benchmark's datasets: demo companies seeded with the demo generator's benchmark
 * profile (25 event types, ~400 events per account a year) under bench/data/ (git-ignored),
 * built once per size and reused. Runs never write to a dataset: each part works on a fresh
 * copy of it (`workingCopy`).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { openDatabase } from "@/db";
import { todayDay } from "@/lib/days";
import { BENCHMARK_DEMO_PROFILE } from "@/lib/demo/catalog";
import { SqliteDb } from "@/db/sqlite-client";
import { seedDemoUsers } from "@/lib/demo/server/demo-users";
import { ensureScoresCurrentSqlite as ensureScoresCurrent } from "@/lib/scoring/server/freshness";
import { isDatabaseEmptySqlite as isDatabaseEmpty, seedDemoDataSqlite as seedDemoData } from "@/lib/demo/server/seed";
import { copyIntoReference } from "../reference/schema";
import { log, fmt } from "./output";

export const BENCH_DATA_DIR = path.resolve("bench/data");
const SEED = 42;

/**
 * What a dataset was generated with: the profile itself, plus a number to bump when the
 * generator's code changes what it makes. A dataset built by another generator is built
 * again instead of reused (a reused one once held 18.3 M events where the README said 20 M).
 */
const GENERATOR_VERSION = 2;
const GENERATOR_FINGERPRINT = `${GENERATOR_VERSION}:${createHash("sha256").update(JSON.stringify(BENCHMARK_DEMO_PROFILE)).digest("hex").slice(0, 16)}`;

export interface DatasetSpec {
  accounts: number;
  /** Days of events before today; undefined: the full year plus one scoring window. */
  historyDays?: number;
}

export interface Dataset {
  file: string;
  accounts: number;
  events: number;
  rollups: number;
  /** The UTC day the dataset was generated for (its events end the day before). */
  builtForDay: number;
  /** How long seeding took when it was built (not this run). */
  seedMillis: number;
}

const markerSchema = (value: unknown): Dataset | null => {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const numbers = ["accounts", "events", "rollups", "builtForDay", "seedMillis"] as const;
  if (!numbers.every((k) => typeof v[k] === "number") || v.profile !== BENCHMARK_DEMO_PROFILE.name || v.generator !== GENERATOR_FINGERPRINT) return null;
  return { file: "", accounts: v.accounts as number, events: v.events as number, rollups: v.rollups as number, builtForDay: v.builtForDay as number, seedMillis: v.seedMillis as number };
};

export function datasetFile(spec: DatasetSpec): string {
  return path.join(BENCH_DATA_DIR, `bench-${spec.accounts}${spec.historyDays === undefined ? "" : `-${spec.historyDays}d`}.db`);
}

function removeDatabase(file: string): void {
  for (const suffix of ["", "-wal", "-shm", ".complete"]) fs.rmSync(file + suffix, { force: true });
}

function readMarker(file: string): Dataset | null {
  try {
    const marker = markerSchema(JSON.parse(fs.readFileSync(`${file}.complete`, "utf8")));
    return marker && fs.existsSync(file) ? { ...marker, file } : null;
  } catch {
    return null;
  }
}

/**
 * The dataset for `spec`: reused when a complete one exists (its scores brought up to today
 * when the day turned since), else seeded now. A half-built file is never reused.
 */
export async function ensureDataset(spec: DatasetSpec, options: { rebuild?: boolean } = {}): Promise<Dataset> {
  const file = datasetFile(spec);
  const existing = options.rebuild ? null : readMarker(file);
  if (existing) {
    const age = todayDay() - existing.builtForDay;
    log(`dataset ${path.relative(process.cwd(), file)}: ${fmt(existing.accounts)} accounts, ${fmt(existing.events)} events (built ${age === 0 ? "today" : `${age} days ago`}; reused)`);
    if (age > 7) log(`  its events end ${age} days ago, so recent scores are low: pass --rebuild to generate it again`);
    const db = openDatabase(file);
    try {
      const started = performance.now();
      if (ensureScoresCurrent(db)) log(`  scores brought up to today in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      db.sqlite.close();
    }
    return existing;
  }

  removeDatabase(file);
  fs.mkdirSync(BENCH_DATA_DIR, { recursive: true });
  log(`building dataset ${path.relative(process.cwd(), file)}: ${fmt(spec.accounts)} accounts, ${BENCHMARK_DEMO_PROFILE.eventTypes.length} event types (once; later runs reuse it)`);
  const db = openDatabase(file);
  try {
    if (!isDatabaseEmpty(db)) throw new Error(`${file} is not empty`);
    let last = 0;
    const today = todayDay();
    const summary = seedDemoData(db, {
      accounts: spec.accounts,
      seed: SEED,
      today,
      batchSize: 500,
      profile: BENCHMARK_DEMO_PROFILE,
      historyDays: spec.historyDays,
      onProgress: (done, total) => {
        if (Date.now() - last > 10_000 || done === total) {
          last = Date.now();
          log(`  ${fmt(done)} / ${fmt(total)} accounts`);
        }
      },
    });
    await seedDemoUsers(new SqliteDb(db.sqlite, db.file));
    db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    db.sqlite.close();
    const dataset: Dataset = { file, accounts: summary.accounts, events: summary.events, rollups: summary.rollups, builtForDay: today, seedMillis: summary.millis };
    fs.writeFileSync(`${file}.complete`, JSON.stringify({ ...dataset, file: undefined, profile: BENCHMARK_DEMO_PROFILE.name, generator: GENERATOR_FINGERPRINT, at: new Date().toISOString() }));
    log(`built in ${(summary.millis / 1000).toFixed(0)} s: ${fmt(summary.events)} events, ${fmt(summary.rollups)} daily rollups`);
    return dataset;
  } catch (error) {
    if (db.sqlite.open) db.sqlite.close();
    removeDatabase(file);
    throw error;
  }
}

export interface ReferenceDataset {
  /** The bare reference's database (bench/reference/schema.ts) holding the same history as `source`. */
  file: string;
  source: string;
  events: number;
  rollups: number;
}

/**
 * The reference's copy of a product dataset (same accounts, event types, events and rollups),
 * built once per product dataset and reused while that one is.
 */
export function ensureReferenceDataset(product: Dataset): ReferenceDataset {
  const file = product.file.replace(/\.db$/, "-reference.db");
  const source = { file: path.basename(product.file), events: product.events, builtForDay: product.builtForDay, seedMillis: product.seedMillis, generator: GENERATOR_FINGERPRINT };
  try {
    const marker = JSON.parse(fs.readFileSync(`${file}.complete`, "utf8")) as { source?: unknown; events?: unknown; rollups?: unknown };
    if (JSON.stringify(marker.source) === JSON.stringify(source) && typeof marker.events === "number" && typeof marker.rollups === "number" && fs.existsSync(file)) {
      return { file, source: product.file, events: marker.events, rollups: marker.rollups };
    }
  } catch {
    // No complete reference copy yet.
  }
  removeDatabase(file);
  log(`building the reference's copy ${path.relative(process.cwd(), file)} of ${fmt(product.events)} events (once per dataset)`);
  const started = performance.now();
  const sqlite = new BetterSqlite3(file);
  try {
    const counts = copyIntoReference(sqlite, product.file);
    if (counts.events !== product.events) throw new Error(`the reference copy holds ${counts.events} events, the dataset ${product.events}`);
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    sqlite.close();
    fs.writeFileSync(`${file}.complete`, JSON.stringify({ source, ...counts, at: new Date().toISOString() }));
    log(`  built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { file, source: product.file, ...counts };
  } catch (error) {
    if (sqlite.open) sqlite.close();
    removeDatabase(file);
    throw error;
  }
}

/** A fresh copy of a dataset that one part of the benchmark may write to. */
export function workingCopy(dataset: { file: string }, name: string): string {
  const target = path.join(BENCH_DATA_DIR, `work-${name}.db`);
  removeDatabase(target);
  fs.copyFileSync(dataset.file, target);
  return target;
}

export function removeWorkingCopy(file: string): void {
  removeDatabase(file);
}
