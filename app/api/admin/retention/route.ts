import { getDb } from "@/db";
import { retentionSettingsSchema } from "@/lib/operations/retention";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, parseRequest } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { retentionOverview } from "@/lib/operations/server/admin";
import { saveRetentionSettings } from "@/lib/operations/server/retention";

/** GET /api/admin/retention — the setting, what it deletes today, and the job's last run. */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return apiData(await retentionOverview(await getDb()));
  });
}

/** PUT /api/admin/retention { rawEventMonths: number | null } — saves it (audited); the hourly job applies it. */
export async function PUT(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const settings = parseRequest(retentionSettingsSchema, await readJsonBody(request));
    const db = await getDb();
    await saveRetentionSettings(db, { id: user.id, name: user.name }, settings);
    return apiData(await retentionOverview(db));
  });
}
