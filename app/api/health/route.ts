import { getDb } from "@/db";
import { jsonAnswer } from "@/lib/http/server/http";
import { log } from "@/lib/log";
import { isShuttingDown } from "@/lib/operations/server/shutting-down";
import { checkReadiness } from "@/lib/operations/server/health";
import { recomputeJobState } from "@/lib/scoring/server/recompute-job";

export const dynamic = "force-dynamic";

const headers = { "Cache-Control": "no-store" };

/**
 * Readiness: 200 { ok: true } when this server may take traffic (database reachable,
 * migrations applied, recompute not stuck, not shutting down), else 503 { ok: false }. It is
 * public, so the answer says nothing more (no counts, no paths): the failing checks are in
 * the log. Liveness is GET /api/health/live.
 */
export async function GET() {
  let db;
  try {
    db = await getDb();
  } catch (error) {
    // Opening runs the migrations: a failing one keeps the server out of rotation.
    log.error("readiness: the database could not be opened", { component: "health", err: error });
    return jsonAnswer({ ok: false }, { status: 503, headers });
  }
  const readiness = await checkReadiness(db, { shuttingDown: isShuttingDown(), recompute: recomputeJobState() });
  if (!readiness.ready) {
    log.warn("readiness: not ready", { component: "health", failing: readiness.checks.filter((check) => !check.ok) });
  }
  return jsonAnswer({ ok: readiness.ready }, { status: readiness.ready ? 200 : 503, headers });
}
