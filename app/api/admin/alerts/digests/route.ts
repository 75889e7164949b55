import { getDb } from "@/db";
import { queueDigests } from "@/lib/alerts/server/digests";
import { recordAuditEntry } from "@/lib/alerts/server/common";
import { wakeAlertWorker } from "@/lib/alerts/server/server-worker";
import { todayDay } from "@/lib/days";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** POST /api/admin/alerts/digests — builds and sends today's digests now (besides the daily run). */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const db = await getDb();
    const summary = await queueDigests(db, { today: todayDay(), manual: true });
    if (summary.skipped) return apiError(409, "email_not_set_up", summary.skipped);
    await recordAuditEntry(db, { id: user.id, name: user.name }, { action: "alerts.digests.send", target: "digests", details: { ...summary } });
    wakeAlertWorker();
    return apiData(summary, { status: 202 });
  });
}
