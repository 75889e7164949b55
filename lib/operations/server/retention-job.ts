import "server-only";
import type { Db } from "@/db/client";
import type { DayNumber } from "@/lib/days";
import { log } from "@/lib/log";
import { isJobHeld, listJobRuns, recordJobProgress, startExclusive } from "./jobs";
import { applyRetention, getRetentionSettings, previewRetention, RETENTION_JOB, type RetentionRun } from "./retention";

/**
 * The retention job as it runs in the background (the hourly schedule and the admin's "Apply
 * now"): one run at a time across every server (startExclusive), its progress written to its
 * job_runs row after every batch so that any server can show it, its end (or failure, with
 * the error's message) recorded there and logged. Each batch is its own transaction: a server
 * that stops mid-run leaves every committed batch deleted and nothing half-done, and the next
 * run deletes the rest.
 */
export interface RetentionRunResult extends RetentionRun {
  /** What the preview counted to delete when the run started (raw and waiting events). */
  expectedEvents: number;
}

/** The job_runs summary: the result so far (while running), the result, or the error. */
export type RetentionRunSummary = Partial<RetentionRunResult> & { error?: string };

/**
 * The state of the last run, shaped like the score recompute's (RecomputeJobState: status,
 * done of total, error) so the admin shows both the same way. "interrupted": the row still
 * says running but no server holds the job (its server stopped); the next run finishes it.
 */
export interface RetentionJobState {
  status: "running" | "done" | "failed" | "interrupted";
  startedAt: number | null;
  finishedAt: number | null;
  /** Raw and waiting events deleted so far. */
  done: number;
  /** What the run expects to delete (its preview when it started); 0 while it counts. */
  total: number;
  error: string | null;
  result: RetentionRunSummary;
}

export interface RetentionJobParams {
  today?: DayNumber;
  batchSize?: number;
  /** Hears after each committed batch, once its progress is recorded (tests hold the run here). */
  afterBatch?: (run: Readonly<RetentionRun>) => Promise<void>;
}

export type RetentionJobStart = { started: true; finished: Promise<RetentionRunResult | null> } | { started: false };

/**
 * Starts a run unless one is running here or on another server. Resolves once the run holds
 * the job and its start is recorded; `finished` resolves with what it deleted, or null when it
 * failed (the failure is recorded in job_runs and logged, never thrown at nobody).
 */
export async function startRetentionJob(db: Db, params: RetentionJobParams = {}): Promise<RetentionJobStart> {
  const start = await startExclusive(db, RETENTION_JOB, async (): Promise<RetentionRunResult> => {
    const { rawEventMonths } = await getRetentionSettings(db);
    const effect = await previewRetention(db, { months: rawEventMonths, today: params.today });
    const expectedEvents = effect.events + effect.pendingEvents;
    await recordJobProgress(db, RETENTION_JOB, { cutoffDay: effect.cutoffDay, expectedEvents, deletedEvents: 0, deletedPendingEvents: 0, batches: 0 } satisfies RetentionRunSummary);
    const run = await applyRetention(db, {
      today: params.today,
      batchSize: params.batchSize,
      afterBatch: async (progress) => {
        await recordJobProgress(db, RETENTION_JOB, { ...progress, expectedEvents } satisfies RetentionRunSummary);
        await params.afterBatch?.(progress);
      },
    });
    return { ...run, expectedEvents };
  });
  if (!start.started) return { started: false };
  const finished = start.finished.then(
    (result) => {
      if (result.deletedEvents > 0 || result.deletedPendingEvents > 0) {
        log.info("retention: deleted raw events past the retention period", { component: "retention", ...result });
      }
      return result;
    },
    (error: unknown) => {
      log.error("retention: the run failed; what it deleted stays deleted, the next run deletes the rest", { component: "retention", err: error });
      return null;
    },
  );
  return { started: true, finished };
}

/** The last run's state (null before the first run), read from job_runs: the same on every server. */
export async function retentionJobState(db: Db): Promise<RetentionJobState | null> {
  const run = (await listJobRuns(db)).find((r) => r.name === RETENTION_JOB);
  if (!run) return null;
  const result = JSON.parse(run.summary) as RetentionRunSummary;
  const status = run.status === "running" ? ((await isJobHeld(db, RETENTION_JOB)) ? "running" : "interrupted") : run.status === "failed" ? "failed" : "done";
  return {
    status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    done: (result.deletedEvents ?? 0) + (result.deletedPendingEvents ?? 0),
    total: result.expectedEvents ?? 0,
    error: status === "failed" ? (result.error ?? "unknown error") : null,
    result,
  };
}
