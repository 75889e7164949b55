import { getDb } from "@/db";
import { deliveriesQuerySchema } from "@/lib/alerts/schemas";
import { getDestination } from "@/lib/alerts/server/destinations";
import { deliveryLog, endpointCircuit } from "@/lib/alerts/server/outbox";
import { requireNumericId } from "@/lib/alerts/server/route-helpers";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors, parseRequest } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 25;

/** GET /api/admin/alerts/destinations/{id}/deliveries?status=&page= — the endpoint's delivery log, newest first, and whether the endpoint is paused. */
export async function GET(request: Request, ctx: RouteContext<"/api/admin/alerts/destinations/[id]/deliveries">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = requireNumericId((await ctx.params).id, "destination");
    const query = parseRequest(deliveriesQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
    const db = await getDb();
    const destination = await getDestination(db, { id });
    if (!destination) return apiError(404, "not_found", `There is no destination ${id}.`);
    const log = await deliveryLog(db, { channel: destination.kind, target: String(id), status: query.status, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE });
    const circuit = await endpointCircuit(db, { channel: destination.kind, target: String(id) });
    return apiData({ ...log, page: query.page, pageSize: PAGE_SIZE, circuit });
  });
}
