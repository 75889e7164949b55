import { getDb } from "@/db";
import { anyRuleSchema } from "@/lib/alerts/rules";
import { destinationsById } from "@/lib/alerts/server/destinations";
import { requireRuleKind } from "@/lib/alerts/server/route-helpers";
import { saveRule } from "@/lib/alerts/server/rules";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** PUT /api/admin/alerts/rules/{kind} — switches a rule on or off and saves its parameters, filters and destinations. */
export async function PUT(request: Request, ctx: RouteContext<"/api/admin/alerts/rules/[kind]">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const kind = requireRuleKind((await ctx.params).kind);
    const body = await readJsonBody(request, BODY_LIMITS.command);
    const rule = parseRequest(anyRuleSchema, { ...(typeof body === "object" && body !== null ? body : {}), kind });
    const db = await getDb();
    const known = await destinationsById(db);
    const unknown = rule.destinationIds.find((id) => !known.has(id));
    if (unknown !== undefined) return apiError(400, "invalid_request", `destinationIds: there is no destination ${unknown}`, { field: "destinationIds" });
    return apiData(await saveRule(db, { actor: { id: user.id, name: user.name }, rule }));
  });
}
