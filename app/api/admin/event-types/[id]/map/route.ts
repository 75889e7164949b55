import { z } from "zod";
import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { mapEventType, mapEventTypeSchema } from "@/lib/ingestion/server/event-type-mapping";
import { handleErrors, HttpError, parseRequest } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

const idSchema = z.coerce.number().int().positive();

/**
 * Maps a held (or new) event type to an existing one: its events and counts move there, the
 * name is remembered, the accounts concerned are rescored. Answers what moved.
 */
export async function POST(request: Request, ctx: RouteContext<"/api/admin/event-types/[id]/map">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = idSchema.safeParse((await ctx.params).id);
    if (!id.success) throw new HttpError(400, "invalid_request", "The event type id must be a positive whole number.", "id");
    const { targetId } = parseRequest(mapEventTypeSchema, await readJsonBody(request));
    return Response.json(await mapEventType(await getDb(), { actor: user, sourceId: id.data, targetId }));
  });
}
