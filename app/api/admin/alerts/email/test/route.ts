import { getDb } from "@/db";
import { escapeHtml } from "@/lib/alerts/email";
import { outboundPolicyFromEnv } from "@/lib/alerts/outbound";
import { testEmailSchema } from "@/lib/alerts/schemas";
import { appBaseUrl, randomId } from "@/lib/alerts/server/common";
import { getEmailSettings } from "@/lib/alerts/server/email-settings";
import { sendEmail } from "@/lib/alerts/server/senders";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError, handleErrors, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** POST /api/admin/alerts/email/test { to } — sends a test email now with the saved settings and answers how it went. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const { to } = parseRequest(testEmailSchema, await readJsonBody(request, BODY_LIMITS.command));
    const settings = await getEmailSettings(await getDb());
    const text = `This is a test email from the engagement dashboard at ${appBaseUrl()}, sent by ${user.name}. Email is set up.`;
    const result = await sendEmail(
      settings,
      {
        messageId: randomId("test"),
        payload: JSON.stringify({ to, toName: to, subject: "Test email from the engagement dashboard", text, html: `<p>${escapeHtml(text)}</p>`, unsubscribeUrl: `${appBaseUrl()}/account`, oneClickUrl: `${appBaseUrl()}/account` }),
      },
      { policy: outboundPolicyFromEnv() },
    );
    if (!result.ok) return apiError(502, "email_failed", result.error ?? "The email could not be sent.");
    return apiData({ sent: true, response: result.responseExcerpt });
  });
}
