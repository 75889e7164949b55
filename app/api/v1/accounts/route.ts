import { getDb } from "@/db";
import { handleNativeAccounts } from "@/lib/ingestion/server/handlers";

/** Native batch API for accounts (see /api/v1/openapi.json). Authorised by write keys only. */
export async function POST(request: Request) {
  return handleNativeAccounts(await getDb(), request);
}
