import { getDb } from "@/db";
import { tasksQuerySchema } from "@/lib/alerts/schemas";
import { countTasks, listTasks } from "@/lib/alerts/server/tasks";
import { todayDay } from "@/lib/days";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, parseRequest } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

const TASKS_PAGE_SIZE = 25;

/** GET /api/tasks?scope=mine|all&status=open|closed&page= — "My tasks" (the user's book by default). */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const query = parseRequest(tasksQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
    const scope = query.scope ?? (user.accountManagerName ? "mine" : "all");
    const assignee = scope === "mine" ? (user.accountManagerName ?? "") : null;
    const db = await getDb();
    const page = await listTasks(db, { assignee, status: query.status, limit: TASKS_PAGE_SIZE, offset: (query.page - 1) * TASKS_PAGE_SIZE });
    const counts = await countTasks(db, { assignee, today: todayDay() });
    return apiData({ ...page, counts, scope, page: query.page, pageSize: TASKS_PAGE_SIZE, book: user.accountManagerName });
  });
}
