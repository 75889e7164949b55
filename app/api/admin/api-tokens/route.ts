import { getDb } from "@/db";
import { createApiTokenSchema } from "@/lib/alerts/schemas";
import { createApiToken, listApiTokens } from "@/lib/read-api/server/tokens";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** GET /api/admin/api-tokens — read API tokens (never the tokens themselves). */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return apiData(await listApiTokens(await getDb()));
  });
}

/** POST /api/admin/api-tokens { label, scopes } — the answer is the only place the token ever appears. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const input = parseRequest(createApiTokenSchema, await readJsonBody(request, BODY_LIMITS.command));
    const created = await createApiToken(await getDb(), { actor: { id: user.id, name: user.name }, ...input });
    return apiData(created, { status: 201, headers: { "Cache-Control": "no-store" } });
  });
}
