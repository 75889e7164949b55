import { getDb } from "@/db";
import { updateDestinationSchema } from "@/lib/alerts/schemas";
import { deleteDestination, getDestination, updateDestination } from "@/lib/alerts/server/destinations";
import { requireDestinationUrl, requireNumericId } from "@/lib/alerts/server/route-helpers";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** PATCH /api/admin/alerts/destinations/{id} — renames, re-points, (un)subscribes, pauses or resumes it. */
export async function PATCH(request: Request, ctx: RouteContext<"/api/admin/alerts/destinations/[id]">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = requireNumericId((await ctx.params).id, "destination");
    const input = parseRequest(updateDestinationSchema, await readJsonBody(request, BODY_LIMITS.command));
    if (input.url !== undefined) requireDestinationUrl(input.url);
    const db = await getDb();
    const existing = await getDestination(db, { id });
    if (!existing) return apiError(404, "not_found", `There is no destination ${id}.`);
    const events = existing.kind === "slack" ? input.events.filter((e) => e !== "scores.changed") : input.events;
    await updateDestination(db, { actor: { id: user.id, name: user.name }, id, ...input, events });
    return apiData({ id });
  });
}

/** DELETE /api/admin/alerts/destinations/{id} — rules stop using it; its undelivered messages are marked failed. */
export async function DELETE(request: Request, ctx: RouteContext<"/api/admin/alerts/destinations/[id]">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = requireNumericId((await ctx.params).id, "destination");
    if (!(await deleteDestination(await getDb(), { actor: { id: user.id, name: user.name }, id }))) return apiError(404, "not_found", `There is no destination ${id}.`);
    return new Response(null, { status: 204 });
  });
}
