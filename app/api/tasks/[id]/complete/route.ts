import { getDb } from "@/db";
import { completeTaskSchema } from "@/lib/alerts/schemas";
import { requireNumericId } from "@/lib/alerts/server/route-helpers";
import { completeTask } from "@/lib/alerts/server/tasks";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** POST /api/tasks/{id}/complete { outcome, note } — completes the task and logs the contact on the account. */
export async function POST(request: Request, ctx: RouteContext<"/api/tasks/[id]/complete">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = requireNumericId((await ctx.params).id, "task");
    const input = parseRequest(completeTaskSchema, await readJsonBody(request, BODY_LIMITS.command));
    const result = await completeTask(await getDb(), { id, actor: { id: user.id, name: user.name }, ...input });
    if (!result.ok) {
      return result.reason === "not_found"
        ? apiError(404, "not_found", `There is no task ${id}.`)
        : apiError(409, "task_closed", `This task was already ${result.task?.status === "dismissed" ? "dismissed" : "completed"}${result.task?.completedByName ? ` by ${result.task.completedByName}` : ""}.`);
    }
    return apiData(result.task);
  });
}
