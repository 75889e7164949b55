import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { accessForPath, REQUEST_PATH_HEADER } from "@/lib/auth/access";
import { API_CONTENT_SECURITY_POLICY, createNonce, pageContentSecurityPolicy } from "@/lib/http/security-headers";

/**
 * Runs before every page request (not static assets, not the APIs). It sets the page
 * Content-Security-Policy with a per-request nonce, tells the server which path was asked
 * for (for "back to where you were" after sign-in), and sends visitors without any session
 * cookie straight to sign-in. That redirect is only an optimistic shortcut: the real checks
 * are requirePageUser (root layout and pages) and requireApiUser (route handlers), which
 * verify the session themselves.
 *
 * The APIs (/api/*, and /v1/* for Segment, with analytics.js' files under /analytics.js/ and
 * /analytics-next/, and the scrapers' /metrics) are left out: for them the proxy only ever added
 * a fixed Content-Security-Policy, which next.config.js now sets, and running it cost close
 * to a millisecond of CPU per request, a quarter of a call-list request
 * (docs/adr/0008-performance-at-scale.md).
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isApi = pathname === "/api" || pathname.startsWith("/api/") || pathname === "/v1" || pathname.startsWith("/v1/");
  const nonce = createNonce();
  const csp = isApi ? API_CONTENT_SECURITY_POLICY : pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");

  const access = accessForPath(pathname);
  if (!isApi && access.kind === "signed-in" && !getSessionCookie(request, { cookiePrefix: "ces" })) {
    const target = new URL("/sign-in", request.url);
    const here = pathname + search;
    if (here !== "/") target.searchParams.set("next", here);
    const response = NextResponse.redirect(target, 307);
    response.headers.set("Content-Security-Policy", csp);
    return response;
  }

  const requestHeaders = new Headers(request.headers);
  // Always overwritten, so a client can never choose what the server thinks the path is.
  requestHeaders.set(REQUEST_PATH_HEADER, pathname + search);
  if (!isApi) {
    requestHeaders.set("Content-Security-Policy", csp);
    requestHeaders.set("x-nonce", nonce);
  }
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

/**
 * Not for static files: Next's own assets, and the files in public/ that browsers ask for
 * without a session (favicon.ico, apple-touch-icon.png, the manifest and its icons): a
 * redirect to sign-in there would leave every tab without its icon. Any top-level file with
 * such an extension is public/'s; pages have no extension (e2e/routes.spec.ts checks both).
 */
export const config = {
  matcher: ["/((?!_next/static|_next/image|api/|api$|v1/|v1$|metrics$|analytics\\.js/|analytics-next/|[^/]+\\.(?:ico|png|svg|webmanifest|txt)$).*)"],
};
