import { z } from "zod";
import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors, validationError } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { deleteChangeMarker, updateChangeMarker } from "@/lib/teams/server/markers";
import { markerInputSchema } from "@/lib/teams/markers";

const idSchema = z.coerce.number().int().positive();

function notFound(id: string): Response {
  return apiError(404, "not_found", `There is no change marker ${id}.`);
}

/** PATCH /api/change-markers/:id { date, title, description } — managers and admins. */
export async function PATCH(request: Request, ctx: RouteContext<"/api/change-markers/[id]">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const { id: raw } = await ctx.params;
    const id = idSchema.safeParse(raw);
    if (!id.success) return notFound(raw);
    const body = await readJsonBody(request);
    const parsed = markerInputSchema.safeParse(body);
    if (!parsed.success) return validationError(parsed.error);
    const updated = await updateChangeMarker(await getDb(), { actor: user, id: id.data, input: parsed.data });
    return updated ? apiData(updated) : notFound(raw);
  });
}

/** DELETE /api/change-markers/:id — managers and admins. */
export async function DELETE(request: Request, ctx: RouteContext<"/api/change-markers/[id]">) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const { id: raw } = await ctx.params;
  const id = idSchema.safeParse(raw);
  if (!id.success) return notFound(raw);
  return (await deleteChangeMarker(await getDb(), { actor: user, id: id.data })) ? apiData({ id: id.data }) : notFound(raw);
}
