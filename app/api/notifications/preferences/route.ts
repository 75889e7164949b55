import { getDb } from "@/db";
import { emailPreferencesSchema } from "@/lib/alerts/schemas";
import { ensureEmailPreferences, setEmailPreferences } from "@/lib/alerts/server/email-settings";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** GET /api/notifications/preferences — what the person receives by email. */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const { digest, immediate } = await ensureEmailPreferences(await getDb(), { userId: user.id });
    return apiData({ digest, immediate });
  });
}

/** PUT /api/notifications/preferences { digest, immediate } */
export async function PUT(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const input = parseRequest(emailPreferencesSchema, await readJsonBody(request, BODY_LIMITS.command));
    const { digest, immediate } = await setEmailPreferences(await getDb(), { userId: user.id, ...input });
    return apiData({ digest, immediate });
  });
}
