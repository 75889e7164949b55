import { getDb } from "@/db";
import { handleSegmentRequest, segmentPreflight } from "@/lib/ingestion/server/handlers";

/**
 * The Segment HTTP Tracking API. next.config.js rewrites /v1/:call here (a rewrite, never a
 * redirect: SDKs take a 3xx for success). Authorised by write keys only.
 */
export async function POST(request: Request, ctx: RouteContext<"/api/segment/[call]">) {
  const { call } = await ctx.params;
  return handleSegmentRequest(await getDb(), request, call);
}

export function OPTIONS() {
  return segmentPreflight();
}
