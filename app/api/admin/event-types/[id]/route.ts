import { z } from "zod";
import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { deleteEventType, eventTypePatchSchema, updateEventType } from "@/lib/ingestion/server/event-types";
import { handleErrors, HttpError, validationError } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

const idSchema = z.coerce.number().int().positive();

async function typeId(ctx: RouteContext<"/api/admin/event-types/[id]">): Promise<number> {
  const id = idSchema.safeParse((await ctx.params).id);
  if (!id.success) throw new HttpError(400, "invalid_request", "The event type id must be a positive whole number.", "id");
  return id.data;
}

/** Renames or re-describes an event type. */
export async function PATCH(request: Request, ctx: RouteContext<"/api/admin/event-types/[id]">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = await typeId(ctx);
    const patch = eventTypePatchSchema.safeParse(await readJsonBody(request));
    if (!patch.success) return validationError(patch.error);
    await updateEventType(await getDb(), { actor: user, id, patch: patch.data });
    return Response.json({ id });
  });
}

/** Deletes an event type that never had events (409 otherwise). */
export async function DELETE(request: Request, ctx: RouteContext<"/api/admin/event-types/[id]">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    await deleteEventType(await getDb(), { actor: user, id: await typeId(ctx) });
    return new Response(null, { status: 204 });
  });
}
