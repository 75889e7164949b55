import { getDb } from "@/db";
import { getAccountDetail } from "@/lib/accounts/server/account-detail";
import { requireApiUser } from "@/lib/auth/server/authz";
import { accountNotFound, parseAccountId } from "@/lib/http/server/request";

export const dynamic = "force-dynamic";

/** GET /api/accounts/:id — everything the account page shows, except the activity log. */
export async function GET(request: Request, ctx: RouteContext<"/api/accounts/[id]">) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  const accountId = parseAccountId(id);
  const detail = accountId === null ? null : await getAccountDetail(await getDb(), { accountId });
  if (!detail) return accountNotFound(id);
  return Response.json(detail);
}
