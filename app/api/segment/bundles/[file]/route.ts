import { handleLibraryBundle } from "@/lib/ingestion/server/browser";

/** The parts analytics.js loads on demand: GET /analytics-next/bundles/{file} is rewritten here (next.config.js). */
export async function GET(_request: Request, ctx: RouteContext<"/api/segment/bundles/[file]">) {
  const { file } = await ctx.params;
  return handleLibraryBundle(file);
}
