export const dynamic = "force-dynamic";

/** Liveness: the process answers (no database involved). Readiness is GET /api/health. */
export function GET() {
  return Response.json({ ok: true, uptimeSeconds: Math.round(process.uptime()) }, { headers: { "Cache-Control": "no-store" } });
}
