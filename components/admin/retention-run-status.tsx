"use client";

import { formatCountOf, formatDateTime } from "@/lib/format";
import { retentionProgress } from "@/lib/operations/retention";
import type { RetentionJobState } from "@/lib/operations/retention-query-options";

/** The retention job's running or last run: progress while it deletes, then its result or its error. */
export function RetentionRunStatus({ job }: { job: RetentionJobState | null }) {
  if (!job) {
    return (
      <p className="text-xs text-slate-500" data-testid="retention-run" data-status="never">
        The job has not run yet; it runs a minute after the server starts, then every hour.
      </p>
    );
  }
  if (job.status === "running") {
    const progress = retentionProgress(job);
    return (
      <div role="status" aria-live="polite" className="rounded-lg border border-blue-200 bg-blue-50 px-3 py-2.5 text-sm text-blue-900" data-testid="retention-run" data-status="running">
        <p className="font-medium">Deleting old raw events, started {formatDateTime(job.startedAt)}</p>
        <p className="mt-0.5">{progress.sentence}</p>
        <div className="mt-2 h-2 overflow-hidden rounded-full bg-blue-100" role="progressbar" aria-valuenow={progress.percent} aria-valuemin={0} aria-valuemax={100} aria-label="Retention progress">
          <div className="h-full bg-blue-600 transition-[width]" style={{ width: `${progress.percent}%` }} />
        </div>
        <p className="mt-1.5 text-xs text-blue-800">It runs in the background in small batches: ingestion carries on, and you can leave this page.</p>
      </div>
    );
  }
  if (job.status === "failed") {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800" data-testid="retention-run" data-status="failed">
        <p className="font-medium">The last run failed on {formatDateTime(job.finishedAt)}: {job.error}</p>
        <p className="mt-0.5 text-xs">
          It had deleted {formatCountOf(job.done, "raw event")}; those stay deleted. The next run (hourly, or Apply now) deletes the rest. The error is in the server&apos;s log.
        </p>
      </div>
    );
  }
  if (job.status === "interrupted") {
    return (
      <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="retention-run" data-status="interrupted">
        The last run, started {formatDateTime(job.startedAt)}, stopped before it finished (its server stopped) after deleting {formatCountOf(job.done, "raw event")}. The next run (hourly, or Apply now) deletes the rest.
      </p>
    );
  }
  return (
    <p className="text-xs text-slate-500" data-testid="retention-run" data-status="done">
      Last run {formatDateTime(job.finishedAt)}: deleted {formatCountOf(job.done, "raw event")}.
    </p>
  );
}
