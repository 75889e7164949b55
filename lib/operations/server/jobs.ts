import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { PoolClient } from "pg";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { isPostgresDb } from "@/db/postgres-client";

/**
 * Scheduled jobs (retention, …) run once at a time across every app server: on PostgreSQL
 * under a session-level advisory lock (pg_try_advisory_lock: a second server finds it taken
 * and skips that round), on SQLite, which one server process owns, under an in-process flag.
 * Every run is recorded in job_runs (started, finished, status, JSON summary) for /metrics
 * and the readiness check.
 */
export type JobOutcome<T> = { ran: true; result: T } | { ran: false; reason: "already-running" };

/**
 * Jobs running in this process, per database handle. On globalThis: Next.js may load this
 * module once per bundle (instrumentation's scheduler, each route), and they must share it.
 */
const slot = globalThis as unknown as { cesRunningJobs?: WeakMap<Db, Set<string>> };
const running = (slot.cesRunningJobs ??= new WeakMap<Db, Set<string>>());

/** A stable 63-bit advisory lock key for a job name. */
export function jobLockKey(name: string): bigint {
  return createHash("sha256").update(`ces-job:${name}`).digest().readBigInt64BE(0);
}

async function recordStart(db: Db, name: string, at: number): Promise<void> {
  await db.run(sql`INSERT INTO job_runs (name, started_at, finished_at, status, summary) VALUES (${name}, ${at}, NULL, 'running', '{}')
    ON CONFLICT (name) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL, status = 'running', summary = '{}'`);
}

async function recordFinish(db: Db, name: string, status: "done" | "failed", summary: unknown): Promise<void> {
  await db.run(sql`UPDATE job_runs SET finished_at = ${Date.now()}, status = ${status}, summary = ${JSON.stringify(summary)} WHERE name = ${name}`);
}

/** Does the work and records its end: its result, or its failure's message (then rethrows). */
async function recordEnd<T>(db: Db, name: string, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    await recordFinish(db, name, "done", result);
    return result;
  } catch (error) {
    await recordFinish(db, name, "failed", { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** Releases a job's lock (this process's flag and, on PostgreSQL, the advisory lock). */
type JobLock = () => Promise<void>;

/**
 * Takes the job's lock, or null when another run holds it (here or on another server). On
 * PostgreSQL the advisory lock is the session's: its pooled connection stays out of the pool
 * until the release.
 */
async function lockJob(db: Db, name: string): Promise<JobLock | null> {
  let inProcess = running.get(db);
  if (!inProcess) {
    inProcess = new Set();
    running.set(db, inProcess);
  }
  if (inProcess.has(name)) return null;
  inProcess.add(name);
  const here = inProcess;
  if (!isPostgresDb(db)) return async () => void here.delete(name);
  const key = jobLockKey(name).toString();
  let session: PoolClient;
  try {
    session = await db.pool.connect();
  } catch (error) {
    here.delete(name);
    throw error;
  }
  try {
    const locked = await session.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]);
    if (!locked.rows[0]?.locked) {
      session.release();
      here.delete(name);
      return null;
    }
  } catch (error) {
    session.release(true);
    here.delete(name);
    throw error;
  }
  return async () => {
    try {
      await session.query("SELECT pg_advisory_unlock($1::bigint)", [key]);
      session.release();
    } catch (error) {
      // A connection whose unlock failed may still hold the lock: discard it, which ends its session and the lock.
      session.release(true);
      throw error;
    } finally {
      here.delete(name);
    }
  };
}

export type JobStart<T> = { started: true; finished: Promise<T> } | { started: false; reason: "already-running" };

/**
 * Starts `work` unless another run of the job holds the lock (here or on another server):
 * resolves as soon as the run holds the lock and its start is recorded, with `finished`, which
 * settles once the work's end (or failure) is recorded in job_runs and the lock released, so a
 * caller that awaits it can start the next run at once. The caller must handle `finished`'s
 * rejection.
 */
export async function startExclusive<T>(db: Db, name: string, work: () => Promise<T>): Promise<JobStart<T>> {
  const unlock = await lockJob(db, name);
  if (!unlock) return { started: false, reason: "already-running" };
  try {
    await recordStart(db, name, Date.now());
  } catch (error) {
    await unlock();
    throw error;
  }
  return { started: true, finished: recordEnd(db, name, work).finally(unlock) };
}

/** Runs `work` unless another run of the job holds the lock (here or on another server). */
export async function runExclusive<T>(db: Db, name: string, work: () => Promise<T>): Promise<JobOutcome<T>> {
  const start = await startExclusive(db, name, work);
  if (!start.started) return { ran: false, reason: start.reason };
  return { ran: true, result: await start.finished };
}

/** What a running job has done so far, in its job_runs summary (for the admin and other servers). */
export async function recordJobProgress(db: Db, name: string, summary: unknown): Promise<void> {
  await db.run(sql`UPDATE job_runs SET summary = ${JSON.stringify(summary)} WHERE name = ${name} AND status = 'running'`);
}

/**
 * Whether a run of the job holds its lock now: on PostgreSQL any server's session holding the
 * advisory lock (pg_locks shows a bigint key as classid = high and objid = low 32 bits), on
 * SQLite this process. A job_runs row left "running" by a server that died is not held.
 */
export async function isJobHeld(db: Db, name: string): Promise<boolean> {
  if (running.get(db)?.has(name)) return true;
  if (!isPostgresDb(db)) return false;
  const key = jobLockKey(name);
  const high = Number(BigInt.asUintN(32, key >> 32n));
  const low = Number(BigInt.asUintN(32, key));
  const held = await db.value<boolean>(
    sql`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND classid::bigint = ${high} AND objid::bigint = ${low} AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))`,
  );
  return held === true;
}

export type JobRunRow = Columns<typeof schema.jobRuns, "name" | "startedAt" | "finishedAt" | "status" | "summary">;

export async function listJobRuns(db: Db): Promise<JobRunRow[]> {
  return db.all<JobRunRow>(
    sql`SELECT name, started_at AS "startedAt", finished_at AS "finishedAt", status, summary FROM job_runs ORDER BY name`,
  );
}
