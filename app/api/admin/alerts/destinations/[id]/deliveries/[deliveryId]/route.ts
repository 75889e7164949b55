import { getDb } from "@/db";
import { getDestination } from "@/lib/alerts/server/destinations";
import { attemptsOf } from "@/lib/alerts/server/outbox";
import { requireNumericId } from "@/lib/alerts/server/route-helpers";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** GET /api/admin/alerts/destinations/{id}/deliveries/{deliveryId} — every attempt of one delivery: when, the answer, why it failed. */
export async function GET(request: Request, ctx: RouteContext<"/api/admin/alerts/destinations/[id]/deliveries/[deliveryId]">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const params = await ctx.params;
    const id = requireNumericId(params.id, "destination");
    const deliveryId = requireNumericId(params.deliveryId, "delivery");
    const db = await getDb();
    const destination = await getDestination(db, { id });
    if (!destination) return apiError(404, "not_found", `There is no destination ${id}.`);
    const attempts = await attemptsOf(db, { outboxId: deliveryId, channel: destination.kind, target: String(id) });
    if (!attempts) return apiError(404, "not_found", `Destination ${id} has no delivery ${deliveryId}.`);
    return apiData({ attempts });
  });
}
