import { getDb } from "@/db";
import { unsubscribeSchema } from "@/lib/alerts/schemas";
import { unsubscribe } from "@/lib/alerts/server/email-settings";
import { checkOrigin } from "@/lib/auth/origin-policy";
import { serverAuthConfig } from "@/lib/auth/server/auth-config";
import { originFacts } from "@/lib/http/server/edge";
import { apiData, apiError, handleErrors, HttpError, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readBodyBytes, readJsonBody } from "@/lib/http/server/request-body";

export const dynamic = "force-dynamic";

/** RFC 8058's one-click body: a mail provider's server POSTs exactly this, form-encoded, to the List-Unsubscribe link. */
const ONE_CLICK_BODY = "List-Unsubscribe=One-Click";
const ONE_CLICK_LIMIT = 1024;

/**
 * What to unsubscribe from, and who asks. Two callers, each read against a limit:
 * - the unsubscribe page (JSON { token, list }): a browser page, so the origin policy applies as
 *   to every dashboard API (a page of another site is refused);
 * - RFC 8058 one-click: a mail provider's server, with no page and no origin of ours, posting
 *   the form body above to the link itself (token and list in the query). The token is the only
 *   credential either way, and an unsubscribe is all it can do.
 */
async function readInput(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type")?.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  if (type === "application/x-www-form-urlencoded") {
    const body = new TextDecoder().decode(await readBodyBytes(request, ONE_CLICK_LIMIT));
    if (new URLSearchParams(body).get("List-Unsubscribe") !== "One-Click") {
      throw new HttpError(400, "invalid_request", `The form body must be ${ONE_CLICK_BODY} (RFC 8058).`);
    }
    const url = new URL(request.url);
    return { token: url.searchParams.get("token") ?? "", list: url.searchParams.get("list") ?? "all" };
  }
  const origin = checkOrigin(serverAuthConfig().originPolicy, originFacts(request.headers));
  if (!origin.ok) throw new HttpError(403, origin.code, origin.message);
  return readJsonBody(request, BODY_LIMITS.command);
}

/** POST /api/unsubscribe { token, list } — the token from an email's link is the only credential. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const input = parseRequest(unsubscribeSchema, await readInput(request));
    const done = await unsubscribe(await getDb(), input);
    if (!done) return apiError(404, "not_found", "token: this unsubscribe link is not valid (any more).", { field: "token" });
    return apiData({ email: done.email, digest: done.digest, immediate: done.immediate });
  });
}
