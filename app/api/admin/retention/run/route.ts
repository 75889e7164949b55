import { getDb } from "@/db";
import { requireApiUser } from "@/lib/server/authz";
import { apiData, handleErrors } from "@/lib/server/http";
import { runRetentionNow } from "@/lib/server/operations/admin";

/** POST /api/admin/retention/run — applies the retention setting now instead of at the next hourly run. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return apiData(await runRetentionNow(await getDb()));
  });
}
