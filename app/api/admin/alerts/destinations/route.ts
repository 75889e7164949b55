import { getDb } from "@/db";
import { createDestinationSchema } from "@/lib/alerts/schemas";
import { appBaseUrl } from "@/lib/alerts/server/common";
import { createDestination, getDestination, listDestinations, queueTestMessage } from "@/lib/alerts/server/destinations";
import { requireDestinationUrl } from "@/lib/alerts/server/route-helpers";
import { wakeAlertWorker } from "@/lib/alerts/server/server-worker";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** GET /api/admin/alerts/destinations — Slack channels and webhook endpoints with their delivery figures. */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return apiData(await listDestinations(await getDb()));
  });
}

/** POST /api/admin/alerts/destinations — adds one; a webhook's signing secret is in the answer. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const input = parseRequest(createDestinationSchema, await readJsonBody(request, BODY_LIMITS.command));
    requireDestinationUrl(input.url);
    const db = await getDb();
    const actor = { id: user.id, name: user.name };
    const created = await createDestination(db, { actor, ...input, events: input.kind === "slack" ? input.events.filter((e) => e !== "scores.changed") : input.events });
    const destination = await getDestination(db, { id: created.id });
    if (destination) {
      await queueTestMessage(db, { destination, actor, appUrl: appBaseUrl() });
      wakeAlertWorker();
    }
    return apiData(created, { status: 201, headers: { "Cache-Control": "no-store" } });
  });
}
