/**
 * The Content-Security-Policy of every response. Pages get a fresh nonce per request: Next.js
 * reads it from the request's CSP header and puts it on its own scripts, and 'strict-dynamic'
 * lets those load the rest of the bundle; no other script runs. Styles allow inline
 * attributes because React and the charts set `style=""` (CSS cannot run code).
 * No `upgrade-insecure-requests`: a self-hosted install may be served over plain http on a
 * private network, where upgrading would break every asset.
 */
export function pageContentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** API responses are data, never documents: nothing may load from them or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A fresh unguessable nonce (128 random bits, base64). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The headers every response carries besides its Content-Security-Policy. next.config.js sets
 * them on everything Next.js answers (the same list: a test compares them); lib/http/server/edge.ts
 * on the few answers it gives itself.
 */
export const BASE_SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/") || path === "/v1" || path.startsWith("/v1/");
}

/**
 * The answer to a request whose path cannot be decoded (a "%" not followed by two hex digits,
 * as in /accounts/%), or null for any other request. Next.js would throw on it and answer a
 * plain-text 500 without these headers: the APIs get the usual JSON error, pages a short page.
 */
export function malformedPathAnswer(rawUrl: string): PlainAnswer | null {
  const path = rawUrl.split(/[?#]/, 1)[0] ?? "";
  try {
    decodeURIComponent(path);
    return null;
  } catch {
    const message = "The address is not valid: it has a % that is not followed by two hexadecimal digits.";
    const headers: Record<string, string> = { "Cache-Control": "no-store", "Content-Security-Policy": API_CONTENT_SECURITY_POLICY };
    for (const { key, value } of BASE_SECURITY_HEADERS) headers[key] = value;
    if (isApiPath(path)) {
      return { status: 400, headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify({ success: false, error: { code: "invalid_path", message } }) };
    }
    const body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Bad address</title><h1>Bad address</h1><p>${message}</p><p><a href="/">Go to the overview</a></p></html>`;
    return { status: 400, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" }, body };
  }
}
