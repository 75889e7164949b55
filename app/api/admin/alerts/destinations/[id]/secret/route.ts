import { getDb } from "@/db";
import { recordAuditEntry } from "@/lib/alerts/server/common";
import { getDestination, rotateWebhookSecret } from "@/lib/alerts/server/destinations";
import { requireNumericId } from "@/lib/alerts/server/route-helpers";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };

/** GET /api/admin/alerts/destinations/{id}/secret — a webhook's signing secret, for setting up the receiver (audited). */
export async function GET(request: Request, ctx: RouteContext<"/api/admin/alerts/destinations/[id]/secret">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = requireNumericId((await ctx.params).id, "destination");
    const db = await getDb();
    const destination = await getDestination(db, { id });
    if (!destination?.secret) return apiError(404, "not_found", `There is no webhook endpoint ${id}.`);
    await recordAuditEntry(db, { id: user.id, name: user.name }, { action: "alerts.destination.reveal_secret", target: `alert_destination:${id}` });
    return apiData({ secret: destination.secret }, { headers: NO_STORE });
  });
}

/** POST /api/admin/alerts/destinations/{id}/secret — a new signing secret; deliveries from now on use it. */
export async function POST(request: Request, ctx: RouteContext<"/api/admin/alerts/destinations/[id]/secret">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = requireNumericId((await ctx.params).id, "destination");
    const secret = await rotateWebhookSecret(await getDb(), { actor: { id: user.id, name: user.name }, id });
    if (!secret) return apiError(404, "not_found", `There is no webhook endpoint ${id}.`);
    return apiData({ secret }, { headers: NO_STORE });
  });
}
