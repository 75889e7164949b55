import { getDb } from "@/db";
import { accountTasks } from "@/lib/alerts/server/tasks";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors } from "@/lib/http/server/http";
import { requireAccountId } from "@/lib/http/server/request";

export const dynamic = "force-dynamic";

/** GET /api/accounts/{id}/tasks — the account's open tasks and its last closed ones. */
export async function GET(request: Request, ctx: RouteContext<"/api/accounts/[id]/tasks">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const accountId = requireAccountId((await ctx.params).id);
    return apiData(await accountTasks(await getDb(), { accountId }));
  });
}
