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
