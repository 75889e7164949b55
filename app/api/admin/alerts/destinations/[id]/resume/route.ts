import { getDb } from "@/db";
import { getDestination } from "@/lib/alerts/server/destinations";
import { resumeEndpoint } from "@/lib/alerts/server/outbox";
import { requireNumericId } from "@/lib/alerts/server/route-helpers";
import { wakeAlertWorker } from "@/lib/alerts/server/server-worker";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** POST /api/admin/alerts/destinations/{id}/resume — ends the endpoint's pause now (its waiting deliveries go out, the first alone). */
export async function POST(request: Request, ctx: RouteContext<"/api/admin/alerts/destinations/[id]/resume">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = requireNumericId((await ctx.params).id, "destination");
    const db = await getDb();
    const destination = await getDestination(db, { id });
    if (!destination) return apiError(404, "not_found", `There is no destination ${id}.`);
    const resumed = await resumeEndpoint(db, { actor: { id: user.id, name: user.name }, channel: destination.kind, target: String(id) });
    if (!resumed) return apiError(409, "conflict", `${destination.name} is not paused.`);
    wakeAlertWorker();
    return apiData({ id });
  });
}
