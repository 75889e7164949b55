import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors } from "@/lib/http/server/http";
import { runRetentionNow } from "@/lib/operations/server/admin";

/** POST /api/admin/retention/run — applies the retention setting now instead of at the next hourly run. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return apiData(await runRetentionNow(await getDb()));
  });
}
