import { getDb } from "@/db";
import { requireNumericId } from "@/lib/alerts/server/route-helpers";
import { dismissTask } from "@/lib/alerts/server/tasks";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** POST /api/tasks/{id}/dismiss — closes a task that no longer applies, without logging a contact. */
export async function POST(request: Request, ctx: RouteContext<"/api/tasks/[id]/dismiss">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = requireNumericId((await ctx.params).id, "task");
    const result = await dismissTask(await getDb(), { id, actor: { id: user.id, name: user.name } });
    if (!result.ok) return result.reason === "not_found" ? apiError(404, "not_found", `There is no task ${id}.`) : apiError(409, "task_closed", "This task is already closed.");
    return apiData(result.task);
  });
}
