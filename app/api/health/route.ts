import { getDb } from "@/db";
import { log } from "@/lib/log";
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
  let db;
  try {
    db = await getDb();
  } catch (error) {
    // Opening runs the migrations: a failing one keeps the server out of rotation.
    log.error("readiness: the database could not be opened", { component: "health", err: error });
    const detail = error instanceof Error ? error.message : String(error);
    return Response.json({ ok: false, checks: [{ name: "database", ok: false, detail }] }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
  const readiness = await checkReadiness(db, { shuttingDown: isShuttingDown(), recompute: recomputeJobState() });
  return Response.json({ ok: readiness.ready, checks: readiness.checks }, { status: readiness.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
