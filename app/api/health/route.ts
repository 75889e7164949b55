import { getDb } from "@/db";
import { isShuttingDown } from "@/lib/server/operations/lifecycle";
import { checkReadiness } from "@/lib/server/operations/health";
import { recomputeJobState } from "@/lib/server/recompute-job";

export const dynamic = "force-dynamic";

/**
 * Readiness: 200 when this server may take traffic (database reachable, migrations applied,
 * recompute not stuck, not shutting down), else 503; each check is listed. Liveness is
 * GET /api/health/live.
 */
export async function GET() {
  const readiness = await checkReadiness(await getDb(), { shuttingDown: isShuttingDown(), recompute: recomputeJobState() });
  return Response.json({ ok: readiness.ready, checks: readiness.checks }, { status: readiness.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
