import { getDb } from "@/db";
import { handleAccountScore } from "@/lib/read-api/server/handlers";

export const dynamic = "force-dynamic";

/** One account's current score for CRMs and BI tools (see /api/v1/openapi.json). Authorised by read API tokens only. */
export async function GET(request: Request, ctx: RouteContext<"/api/v1/accounts/[id]/score">) {
  return handleAccountScore(
    await getDb(),
    request,
    ctx.params.then((p) => p.id),
  );
}
