import { getDb } from "@/db";
import { markReadSchema } from "@/lib/alerts/schemas";
import { markNotificationsRead } from "@/lib/alerts/server/notifications";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** POST /api/notifications/read { ids: [..] | "all" } — marks the person's own notifications read. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const { ids } = parseRequest(markReadSchema, await readJsonBody(request, BODY_LIMITS.command));
    return apiData({ marked: await markNotificationsRead(await getDb(), { userId: user.id, ids }) });
  });
}
