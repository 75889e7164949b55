import { getDb } from "@/db";
import { anyRuleSchema } from "@/lib/alerts/rules";
import { previewRule } from "@/lib/alerts/server/preview";
import { requireRuleKind } from "@/lib/alerts/server/route-helpers";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** POST /api/admin/alerts/rules/{kind}/preview — how many accounts the (unsaved) rule would have fired for in the last 30 days. */
export async function POST(request: Request, ctx: RouteContext<"/api/admin/alerts/rules/[kind]/preview">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const kind = requireRuleKind((await ctx.params).kind);
    const body = await readJsonBody(request, BODY_LIMITS.command);
    const rule = parseRequest(anyRuleSchema, { ...(typeof body === "object" && body !== null ? body : {}), kind });
    return apiData(await previewRule(await getDb(), { rule }));
  });
}
