import { getDb } from "@/db";
import { listNotifications } from "@/lib/alerts/server/notifications";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** GET /api/notifications — the signed-in person's latest notifications and how many are unread. */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return apiData(await listNotifications(await getDb(), { userId: user.id, limit: 30 }), { headers: { "Cache-Control": "no-store" } });
  });
}
