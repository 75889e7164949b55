import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, validationError } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { createChangeMarker, listChangeMarkers } from "@/lib/teams/server/markers";
import { markerInputSchema } from "@/lib/teams/markers";

/** GET /api/change-markers — every marker, newest first. */
export async function GET(request: Request) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  return apiData(await listChangeMarkers(await getDb()));
}

/** POST /api/change-markers { date, title, description } — managers and admins. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const body = await readJsonBody(request);
    const parsed = markerInputSchema.safeParse(body);
    if (!parsed.success) return validationError(parsed.error);
    return apiData(await createChangeMarker(await getDb(), { actor: user, input: parsed.data }), { status: 201 });
  });
}
