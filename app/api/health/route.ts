import { getDatabase } from "@/db";

export const dynamic = "force-dynamic";

/** Liveness and readiness: answers 200 once the database is open and migrated. */
export function GET() {
  const db = getDatabase();
  const accounts = db.sqlite.prepare("SELECT count(*) FROM accounts").pluck().get() as number;
  return Response.json({ ok: true, accounts });
}
