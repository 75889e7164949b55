import { getDb } from "@/db";
import { getDestination } from "@/lib/alerts/server/destinations";
import { redeliver } from "@/lib/alerts/server/outbox";
import { requireNumericId } from "@/lib/alerts/server/route-helpers";
import { wakeAlertWorker } from "@/lib/alerts/server/server-worker";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** POST …/deliveries/{deliveryId}/redeliver — sends a delivered or failed message again, under the same id. */
export async function POST(request: Request, ctx: RouteContext<"/api/admin/alerts/destinations/[id]/deliveries/[deliveryId]/redeliver">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const params = await ctx.params;
    const id = requireNumericId(params.id, "destination");
    const deliveryId = requireNumericId(params.deliveryId, "delivery");
    const db = await getDb();
    const destination = await getDestination(db, { id });
    if (!destination) return apiError(404, "not_found", `There is no destination ${id}.`);
    const queued = await redeliver(db, { actor: { id: user.id, name: user.name }, outboxId: deliveryId, channel: destination.kind, target: String(id) });
    if (!queued) return apiError(409, "not_redeliverable", "This delivery is still pending (or is not one of this destination's); it goes out on its own.");
    wakeAlertWorker();
    return apiData({ id: deliveryId }, { status: 202 });
  });
}
