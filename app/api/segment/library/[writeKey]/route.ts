import { getDb } from "@/db";
import { handleLibraryScript } from "@/lib/ingestion/server/browser";

/** analytics.js for the snippet: GET /analytics.js/v1/{writeKey}/analytics.min.js is rewritten here (next.config.js). */
export async function GET(_request: Request, ctx: RouteContext<"/api/segment/library/[writeKey]">) {
  const { writeKey } = await ctx.params;
  return handleLibraryScript(await getDb(), writeKey);
}
