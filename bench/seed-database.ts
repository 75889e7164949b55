/**
 * The benchmark's demo database: seeded once per size under bench/data/ (git-ignored) and
 * reused by later runs. A database seeded on an earlier day is brought up to date by the
 * server itself on start (scores are recomputed when the UTC day turns).
 */
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db";
import { todayDay } from "@/lib/days";
import { isDatabaseEmpty, seedDemoData } from "@/lib/server/seed";

export const BENCH_DATA_DIR = path.resolve("bench/data");

export function benchDatabasePath(accounts: number): string {
  return path.join(BENCH_DATA_DIR, `demo-${accounts}.db`);
}

/** Seeds the database for `accounts` unless a complete one exists; returns its path. */
export function ensureBenchDatabase(accounts: number, log: (line: string) => void = console.log): { file: string; seeded: boolean; seedMillis: number } {
  const file = benchDatabasePath(accounts);
  const marker = `${file}.complete`;
  if (fs.existsSync(file) && fs.existsSync(marker)) return { file, seeded: false, seedMillis: 0 };
  for (const suffix of ["", "-wal", "-shm", ".complete"]) fs.rmSync(file + suffix, { force: true });
  fs.mkdirSync(BENCH_DATA_DIR, { recursive: true });
  const db = openDatabase(file);
  if (!isDatabaseEmpty(db)) throw new Error(`${file} is not empty`);
  log(`Seeding ${accounts.toLocaleString("en-US")} demo accounts into ${path.relative(process.cwd(), file)} (once; later runs reuse it) …`);
  let last = 0;
  const summary = seedDemoData(db, {
    accounts,
    seed: 42,
    today: todayDay(),
    batchSize: 500,
    onProgress: (done, total) => {
      if (Date.now() - last > 5000 || done === total) {
        last = Date.now();
        log(`  ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} accounts`);
      }
    },
  });
  db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  db.sqlite.close();
  fs.writeFileSync(marker, JSON.stringify({ ...summary, at: new Date().toISOString() }));
  log(`Seeded ${summary.accounts.toLocaleString("en-US")} accounts and ${summary.events.toLocaleString("en-US")} events in ${(summary.millis / 1000).toFixed(0)} s.`);
  return { file, seeded: true, seedMillis: summary.millis };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const accounts = Number(process.argv[2] ?? 50_000);
  ensureBenchDatabase(accounts);
}
