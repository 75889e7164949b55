import { z } from "zod";
import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { keepEventType } from "@/lib/ingestion/server/event-type-mapping";
import { handleErrors, HttpError } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

const idSchema = z.coerce.number().int().positive();

/** Keeps a held event type as a type of its own (weight 0 until weighed). */
export async function POST(request: Request, ctx: RouteContext<"/api/admin/event-types/[id]/keep">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = idSchema.safeParse((await ctx.params).id);
    if (!id.success) throw new HttpError(400, "invalid_request", "The event type id must be a positive whole number.", "id");
    await keepEventType(await getDb(), { actor: user, id: id.data });
    return Response.json({ id: id.data });
  });
}
