/**
 * Part 4 (seeding): what a new user waits for at `npm run demo` before the build starts:
 * `npm run db:seed` of the default demo company into an empty database, wall time from the
 * command to its exit (npm, tsx, the 2,000 demo accounts' year of events, scores, users).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { log } from "../lib/output";

export interface SeedTimeResult {
  millis: number;
  /** The seed's own report ("Seeded 2000 accounts, … in N s"). */
  report: string;
}

export function measureDemoSeed(): SeedTimeResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-bench-seed-"));
  try {
    const started = performance.now();
    const output = execFileSync("npm", ["run", "--silent", "db:seed"], { env: { ...process.env, DATABASE_PATH: path.join(dir, "demo.db") }, encoding: "utf8" });
    const millis = performance.now() - started;
    const report = /Seeded .*/.exec(output)?.[0] ?? "";
    if (!report) throw new Error(`unexpected seed output: ${output}`);
    log(`npm run db:seed: ${(millis / 1000).toFixed(1)} s (${report})`);
    return { millis, report };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
