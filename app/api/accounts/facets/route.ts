import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { getCallListFacets } from "@/lib/accounts/server/lists";

export const dynamic = "force-dynamic";

/** GET /api/accounts/facets — the managers, plans, regions and industries the filters offer. */
export async function GET(request: Request) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  return Response.json(await getCallListFacets(await getDb()));
}
