import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";

/**
 * Jobs that must run once per period (a UTC day) however many app servers run them: the first
 * to claim (job, period) holds a lease while it works and marks the period finished. A server
 * that dies mid-run lets its lease run out and another takes over; what the jobs write is
 * deduplicated by unique keys, so a run taken over does not repeat what was committed.
 */
export async function claimJob(db: Db, params: { job: string; period: string; owner: string; now: number; leaseMs: number }): Promise<boolean> {
  const { job, period, owner, now, leaseMs } = params;
  const won = await db.value<Column<typeof schema.alertJobRuns, "owner">>(sql`INSERT INTO alert_job_runs (job, period, owner, lease_until) VALUES (${job}, ${period}, ${owner}, ${now + leaseMs})
    ON CONFLICT (job, period) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
    WHERE alert_job_runs.finished_at IS NULL AND alert_job_runs.lease_until < ${now}
    RETURNING owner`);
  return won === owner;
}

export async function finishJob(db: Db, params: { job: string; period: string; owner: string; now: number; result: Record<string, unknown> }): Promise<void> {
  await db.run(sql`UPDATE alert_job_runs SET finished_at = ${params.now}, result = ${JSON.stringify(params.result)}
    WHERE job = ${params.job} AND period = ${params.period} AND owner = ${params.owner}`);
}

/** Gives a claimed period back (the job could not run yet), so the next check tries again. */
export async function releaseJob(db: Db, params: { job: string; period: string; owner: string }): Promise<void> {
  await db.run(sql`DELETE FROM alert_job_runs WHERE job = ${params.job} AND period = ${params.period} AND owner = ${params.owner} AND finished_at IS NULL`);
}

export async function jobFinished(db: Db, params: { job: string; period: string }): Promise<boolean> {
  return (await db.value<number>(sql`SELECT 1 FROM alert_job_runs WHERE job = ${params.job} AND period = ${params.period} AND finished_at IS NOT NULL`)) === 1;
}

export type JobRunSummary = Columns<typeof schema.alertJobRuns, "job" | "period" | "finishedAt" | "result">;

export async function latestJobRuns(db: Db, params: { limit: number }): Promise<JobRunSummary[]> {
  return db.all<JobRunSummary>(sql`SELECT job, period, finished_at AS "finishedAt", result FROM alert_job_runs ORDER BY period DESC, job LIMIT ${params.limit}`);
}
