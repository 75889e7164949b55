import "server-only";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER } from "@/db";
import type { Db } from "@/db/client";
import { POSTGRES_MIGRATIONS_FOLDER } from "@/db/postgres-migrate";
import type { RecomputeJobState } from "@/lib/scoring/server/recompute-job";

/**
 * Readiness: may this server take traffic? The database answers, every migration of this
 * version is applied, no full recompute has run for longer than RECOMPUTE_STUCK_MS (scores
 * would stay stale), and the server is not shutting down. Liveness is only "the process
 * answers" (GET /api/health/live), so an orchestrator restarts a hung process, not a busy one.
 */
export const RECOMPUTE_STUCK_MS = 30 * 60 * 1000;

export interface HealthCheck {
  name: "database" | "migrations" | "recompute" | "shutdown";
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: HealthCheck[];
}

const journalSizes = new Map<string, number>();

function migrationsInJournal(folder: string): number {
  let size = journalSizes.get(folder);
  if (size === undefined) {
    const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    size = journal.entries.length;
    journalSizes.set(folder, size);
  }
  return size;
}

async function appliedMigrations(db: Db): Promise<number> {
  return (
    (db.dialect === "sqlite"
      ? await db.value<number>(sql`SELECT count(*) FROM __drizzle_migrations`)
      : await db.value<number>(sql`SELECT count(*) FROM drizzle.__drizzle_migrations`)) ?? 0
  );
}

export async function checkReadiness(db: Db, params: { shuttingDown: boolean; recompute: RecomputeJobState; now?: number }): Promise<Readiness> {
  const now = params.now ?? Date.now();
  const checks: HealthCheck[] = [];
  try {
    await db.value(sql`SELECT 1`);
    checks.push({ name: "database", ok: true, detail: "reachable" });
    const expected = migrationsInJournal(db.dialect === "sqlite" ? MIGRATIONS_FOLDER : POSTGRES_MIGRATIONS_FOLDER);
    const applied = await appliedMigrations(db);
    checks.push({ name: "migrations", ok: applied >= expected, detail: `${applied} of ${expected} applied` });
  } catch (error) {
    checks.push({ name: "database", ok: false, detail: error instanceof Error ? error.message : String(error) });
  }
  const job = params.recompute;
  const runningFor = job.status === "running" && job.startedAt ? now - Date.parse(job.startedAt) : 0;
  checks.push(
    runningFor > RECOMPUTE_STUCK_MS
      ? { name: "recompute", ok: false, detail: `a full recompute has run for ${Math.round(runningFor / 60_000)} minutes` }
      : { name: "recompute", ok: true, detail: job.status === "running" ? `running for ${Math.round(runningFor / 1000)} s` : job.status },
  );
  checks.push({ name: "shutdown", ok: !params.shuttingDown, detail: params.shuttingDown ? "shutting down" : "serving" });
  return { ready: checks.every((c) => c.ok), checks };
}
