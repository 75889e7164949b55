import { getDb } from "@/db";
import { listDestinations } from "@/lib/alerts/server/destinations";
import { ruleFacets } from "@/lib/alerts/server/facets";
import { listRules } from "@/lib/alerts/server/rules";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** GET /api/admin/alerts/rules — the built-in rules, the destinations they can use and the filter values. */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const db = await getDb();
    return apiData({ rules: await listRules(db), destinations: await listDestinations(db), facets: await ruleFacets(db) });
  });
}
