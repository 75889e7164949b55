import { getDb } from "@/db";
import { handleNativeOutcomes } from "@/lib/ingestion/server/handlers";

/** Native batch API for renewal outcomes (see /api/v1/openapi.json). Authorised by write keys only. */
export async function POST(request: Request) {
  return handleNativeOutcomes(await getDb(), request);
}
