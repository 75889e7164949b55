import "server-only";
import { checkOrigin, type OriginPolicy } from "../origin-policy";
import type { Auth } from "./auth";
import { apiError, handleErrors, HttpError } from "@/lib/http/server/http";
import { BODY_LIMITS, isJsonContentType, parseJsonText, readBodyBytes } from "@/lib/http/server/request-body";

/**
 * The frame around better-auth's endpoints (/api/auth/*), which are public by necessity:
 * - a state-changing request from an origin the policy does not trust is refused here, with a
 *   message that says which address to use (better-auth would only say "Invalid origin");
 * - the body is read against a small limit before better-auth sees it (413), must be JSON
 *   (415) and may not nest deeply (400);
 * - X-Forwarded-For carries only the client address the edge resolved (or nothing);
 * - the session token never reaches page scripts: better-auth puts it in the JSON of sign-in,
 *   get-session, list-sessions and change-password, and the HttpOnly cookie is the only place
 *   it belongs.
 */
export interface AuthRequestContext {
  policy: OriginPolicy;
  /** The host the request was made to (lib/http/server/edge.ts). */
  host: string | null;
  /** The client's address as the edge resolved it, or null when unknown. */
  clientAddress: string | null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A copy of `value` without any "token" property, at any depth. */
export function withoutTokens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTokens);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (key !== "token") out[key] = withoutTokens(item);
  return out;
}

async function redactResponse(response: Response): Promise<Response> {
  if (!isJsonContentType(response.headers.get("content-type")) || !response.body) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(withoutTokens(body)), { status: response.status, statusText: response.statusText, headers });
}

export async function handleAuthRequest(auth: Auth, request: Request, context: AuthRequestContext): Promise<Response> {
  return handleErrors(async () => {
    const method = request.method.toUpperCase();
    const headers = new Headers(request.headers);
    if (context.clientAddress) headers.set("x-forwarded-for", context.clientAddress);
    else headers.delete("x-forwarded-for");

    let body: Uint8Array<ArrayBuffer> | undefined;
    if (!SAFE_METHODS.has(method)) {
      const origin = checkOrigin(context.policy, {
        origin: headers.get("origin"),
        referer: headers.get("referer"),
        host: context.host,
        secFetchSite: headers.get("sec-fetch-site"),
      });
      if (!origin.ok) return apiError(403, origin.code, origin.message);
      body = await readBodyBytes(request, BODY_LIMITS.authForm);
      if (body.byteLength > 0) {
        if (!isJsonContentType(headers.get("content-type"))) {
          throw new HttpError(415, "unsupported_media_type", "Send the body as JSON, with Content-Type: application/json.");
        }
        parseJsonText(new TextDecoder().decode(body));
      }
    }
    const forwarded = new Request(request.url, { method, headers, body: body && body.byteLength > 0 ? body : undefined });
    return redactResponse(await auth.handler(forwarded));
  });
}
