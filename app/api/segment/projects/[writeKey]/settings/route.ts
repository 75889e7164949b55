import { getDb } from "@/db";
import { browserPreflight, handleBrowserSettings } from "@/lib/ingestion/server/browser";

/** analytics.js' settings document: GET /v1/projects/{writeKey}/settings is rewritten here (next.config.js). */
export async function GET(request: Request, ctx: RouteContext<"/api/segment/projects/[writeKey]/settings">) {
  const { writeKey } = await ctx.params;
  return handleBrowserSettings(await getDb(), request, writeKey);
}

export function OPTIONS() {
  return browserPreflight();
}
