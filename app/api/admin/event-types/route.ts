import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { createEventType, newEventTypeSchema } from "@/lib/ingestion/server/event-types";
import { handleErrors, validationError } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** Adds an event type (weight 0 until a configuration with its weight is saved); 201. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const input = newEventTypeSchema.safeParse(await readJsonBody(request));
    if (!input.success) return validationError(input.error);
    const id = await createEventType(await getDb(), { actor: user, input: input.data });
    return Response.json({ id }, { status: 201 });
  });
}
