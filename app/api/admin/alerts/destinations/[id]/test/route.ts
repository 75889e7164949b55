import { getDb } from "@/db";
import { appBaseUrl } from "@/lib/alerts/server/common";
import { getDestination, queueTestMessage } from "@/lib/alerts/server/destinations";
import { requireNumericId } from "@/lib/alerts/server/route-helpers";
import { wakeAlertWorker } from "@/lib/alerts/server/server-worker";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** POST /api/admin/alerts/destinations/{id}/test — queues a test message; its delivery shows in the log. */
export async function POST(request: Request, ctx: RouteContext<"/api/admin/alerts/destinations/[id]/test">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = requireNumericId((await ctx.params).id, "destination");
    const db = await getDb();
    const destination = await getDestination(db, { id });
    if (!destination) return apiError(404, "not_found", `There is no destination ${id}.`);
    const messageId = await queueTestMessage(db, { destination, actor: { id: user.id, name: user.name }, appUrl: appBaseUrl() });
    wakeAlertWorker();
    return apiData({ messageId }, { status: 202 });
  });
}
