import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, validationError } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";
import { changeTags, getTagsOverview } from "@/lib/accounts/server/tags";
import { tagChangeSchema } from "@/lib/teams/tags";

/** GET /api/admin/tags — tags with their account counts, and the values filters can use. */
export async function GET(request: Request) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  return apiData(await getTagsOverview(await getDb()));
}

/**
 * POST /api/admin/tags { action: "add" | "remove", tag, selection, preview? } — tags or untags
 * every account matching a filter or a list of external ids; audited unless a preview.
 */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const body = await readJsonBody(request, BODY_LIMITS.accountList);
    const parsed = tagChangeSchema.safeParse(body);
    if (!parsed.success) return validationError(parsed.error);
    return apiData(await changeTags(await getDb(), { actor: user, change: parsed.data }));
  });
}
