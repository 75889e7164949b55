import { getDb } from "@/db";
import { todayDay } from "@/lib/days";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiError, handleErrors, parseRequest } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { accountNotFound, parseAccountId, requireAccountId } from "@/lib/http/server/request";
import { snoozeAccount, unsnoozeAccount } from "@/lib/accounts/server/worklist";
import { snoozeDateProblem, snoozeInputSchema } from "@/lib/accounts/worklist-schemas";

export const dynamic = "force-dynamic";

/** PUT /api/accounts/:id/snooze { until: "YYYY-MM-DD" } — hide the account from the lists until that date. */
export async function PUT(request: Request, ctx: RouteContext<"/api/accounts/[id]/snooze">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const { id } = await ctx.params;
    const accountId = requireAccountId(id);
    const input = parseRequest(snoozeInputSchema, await readJsonBody(request));
    const problem = snoozeDateProblem(input.until, todayDay());
    if (problem) return apiError(400, "invalid_request", `until: ${problem}`, { field: "until" });
    const snooze = await snoozeAccount(await getDb(), { accountId, author: { id: user.id, name: user.name }, until: input.until });
    if (!snooze) return accountNotFound(id);
    return Response.json(snooze);
  });
}

/** DELETE /api/accounts/:id/snooze — put the account back on the lists now. */
export async function DELETE(request: Request, ctx: RouteContext<"/api/accounts/[id]/snooze">) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  const accountId = parseAccountId(id);
  if (accountId === null || !(await unsnoozeAccount(await getDb(), { accountId }))) return accountNotFound(id);
  return new Response(null, { status: 204 });
}
