export const dynamic = "force-dynamic";

/** Liveness: the process answers (no database involved). Public, so it says nothing more. Readiness is GET /api/health. */
export function GET() {
  return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}
