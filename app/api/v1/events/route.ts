import { getDb } from "@/db";
import { handleNativeEvents } from "@/lib/ingestion/server/handlers";

/** Native batch API for events (see /api/v1/openapi.json). Authorised by write keys only. */
export async function POST(request: Request) {
  return handleNativeEvents(await getDb(), request);
}
