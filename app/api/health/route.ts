import { getDatabase } from "@/db";

export const dynamic = "force-dynamic";

/**
 * Liveness and readiness: 200 { ok: true } once the database is open and migrated, and
 * nothing else: it is public, so it tells no one how much data there is.
 */
export function GET() {
  try {
    getDatabase().sqlite.prepare("SELECT 1").get();
    return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    console.error("[health] the database is not available", error);
    return Response.json({ ok: false }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
