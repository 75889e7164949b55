import { getDb } from "@/db";
import { todayDay } from "@/lib/days";
import { requireApiUser } from "@/lib/auth/server/authz";
import { accountNotFound, parseAccountId } from "@/lib/http/server/request";
import { getAccountActivity } from "@/lib/accounts/server/worklist";

export const dynamic = "force-dynamic";

/** GET /api/accounts/:id/activity — contacts and notes, newest first, and the active snooze. */
export async function GET(request: Request, ctx: RouteContext<"/api/accounts/[id]/activity">) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  const accountId = parseAccountId(id);
  const activity = accountId === null ? null : await getAccountActivity(await getDb(), { accountId, today: todayDay() });
  if (!activity) return accountNotFound(id);
  return Response.json(activity);
}
