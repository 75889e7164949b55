import { jsonAnswer } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** Liveness: the process answers (no database involved). Public, so it says nothing more. Readiness is GET /api/health. */
export function GET() {
  return jsonAnswer({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}
