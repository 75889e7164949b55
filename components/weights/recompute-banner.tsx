"use client";

import type { RecomputeJobState } from "@/lib/scoring/server/recompute-job";
import { formatCount } from "@/lib/format";

/** Progress of a running recompute, or why the last one failed. */
export function RecomputeBanner({ job }: { job: RecomputeJobState }) {
  if (job.status === "running") {
    const pct = job.total === 0 ? 0 : Math.round((job.done / job.total) * 100);
    return (
      <div role="status" aria-live="polite" className="mb-4 rounded-xl border border-blue-200 bg-blue-50 p-4 text-sm text-blue-900" data-testid="recompute-running">
        <p className="font-medium">
          Applying configuration v{job.versionId}: {formatCount(job.done)} of {formatCount(job.total)} accounts scored
        </p>
        <p className="text-xs text-blue-800">Everyone keeps seeing the previous scores until all accounts and their history are done.</p>
        <div className="mt-2 h-2 overflow-hidden rounded-full bg-blue-100" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label="Recompute progress">
          <div className="h-full bg-blue-600 transition-[width]" style={{ width: `${pct}%` }} />
        </div>
      </div>
    );
  }
  if (job.status === "failed") {
    return (
      <div role="alert" className="mb-4 rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900">
        <p className="font-medium">Applying configuration v{job.versionId} failed: {job.error}</p>
        <p className="text-xs">The previous scores are still in force. The server retries every minute; the error is in its log.</p>
      </div>
    );
  }
  return null;
}
