import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors } from "@/lib/http/server/http";
import { runRetentionNow } from "@/lib/operations/server/admin";
import { retentionJobState } from "@/lib/operations/server/retention-job";

export const dynamic = "force-dynamic";

/**
 * POST /api/admin/retention/run — starts applying the retention setting now instead of at the
 * next hourly run: 202 with the run's state as soon as it runs (it deletes in the background),
 * 409 when it is already running here or on another server.
 */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return apiData((await runRetentionNow(await getDb())).state, { status: 202, headers: { location: "/api/admin/retention/run" } });
  });
}

/** GET /api/admin/retention/run — the running or last run's progress (null before the first), without the preview's count. */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return apiData(await retentionJobState(await getDb()));
  });
}
