import { getDb } from "@/db";
import { unsubscribeSchema } from "@/lib/alerts/schemas";
import { unsubscribe } from "@/lib/alerts/server/email-settings";
import { apiData, apiError, handleErrors, parseRequest } from "@/lib/server/http";

export const dynamic = "force-dynamic";

async function bodyOf(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  const url = new URL(request.url);
  // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the link itself (token in the query).
  if (type.includes("application/x-www-form-urlencoded")) return { token: url.searchParams.get("token") ?? "", list: url.searchParams.get("list") ?? "all" };
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** POST /api/unsubscribe { token, list } — the token from an email's link is the only credential. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const body = await bodyOf(request);
    if (body === null) return apiError(400, "invalid_json", "The request body is not valid JSON.");
    const input = parseRequest(unsubscribeSchema, body);
    const done = await unsubscribe(await getDb(), input);
    if (!done) return apiError(404, "not_found", "token: this unsubscribe link is not valid (any more).", { field: "token" });
    return apiData({ email: done.email, digest: done.digest, immediate: done.immediate });
  });
}
