import { getDb } from "@/db";
import { retentionSettingsSchema } from "@/lib/operations/retention";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, parseRequest } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { retentionPreview } from "@/lib/operations/server/admin";

/** POST /api/admin/retention/preview { rawEventMonths } — what that setting would delete today; changes nothing. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const { rawEventMonths } = parseRequest(retentionSettingsSchema, await readJsonBody(request));
    return apiData(await retentionPreview(await getDb(), rawEventMonths));
  });
}
