import { getDb } from "@/db";
import { handleScores } from "@/lib/read-api/server/handlers";

export const dynamic = "force-dynamic";

/** Scores changed since a moment, in pages (see /api/v1/openapi.json). Authorised by read API tokens only. */
export async function GET(request: Request) {
  return handleScores(await getDb(), request);
}
