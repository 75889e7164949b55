import { getDb } from "@/db";
import { emailSettingsSchema } from "@/lib/alerts/schemas";
import { getEmailSettings, publicEmailSettings, saveEmailSettings } from "@/lib/alerts/server/email-settings";
import { outboundPolicyFromEnv } from "@/lib/alerts/outbound";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** GET /api/admin/alerts/email — SMTP and digest settings (never the password). */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return apiData(publicEmailSettings(await getEmailSettings(await getDb())));
  });
}

/** PUT /api/admin/alerts/email — saves them; an absent password keeps the stored one. */
export async function PUT(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const input = parseRequest(emailSettingsSchema, await readJsonBody(request, BODY_LIMITS.command));
    if (input.smtpSecurity === "none" && !outboundPolicyFromEnv().allowInsecure) {
      return apiError(400, "invalid_request", "smtpSecurity: must be starttls or tls (SMTP without TLS is allowed only when the server sets ALERTS_ALLOW_HTTP=true)", { field: "smtpSecurity" });
    }
    const password = input.smtpPassword === undefined ? undefined : input.smtpPassword === "" ? null : input.smtpPassword;
    const saved = await saveEmailSettings(await getDb(), { actor: { id: user.id, name: user.name }, ...input, smtpPassword: password });
    return apiData(publicEmailSettings(saved));
  });
}
