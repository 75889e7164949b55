import { getDb } from "@/db";
import { requireNumericId } from "@/lib/alerts/server/route-helpers";
import { revokeApiToken } from "@/lib/read-api/server/tokens";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** POST /api/admin/api-tokens/{id}/revoke — the next request with it gets 401 (revoking twice changes nothing). */
export async function POST(request: Request, ctx: RouteContext<"/api/admin/api-tokens/[id]/revoke">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = requireNumericId((await ctx.params).id, "API token");
    const token = await revokeApiToken(await getDb(), { actor: { id: user.id, name: user.name }, id });
    if (!token) return apiError(404, "not_found", `There is no API token ${id}.`);
    return apiData(token);
  });
}
