/**
 * Which web origins may act with a user's session: ONE rule for sign-in, sign-out and
 * password changes (better-auth's trustedOrigins), for every state-changing dashboard API
 * (requireApiUser) and for the demo.
 *
 * - A production installation states its origins: AUTH_URL (the public address) plus
 *   AUTH_TRUSTED_ORIGINS (further addresses the same server is reached at). A request from any
 *   other origin is refused with a message saying which address to use.
 * - The demo and development trust "the address the request was made to" (AUTH_TRUST_HOST):
 *   the app works at http://localhost:3000, http://127.0.0.1:3000 or the network address alike,
 *   while a page of another site (whose Origin differs from the Host it calls) is still refused.
 *
 * Pure: the request is described by its headers' values, so it is tested without a server.
 */

export interface OriginPolicy {
  /** Origins stated by configuration, AUTH_URL's first; empty when only the request host is trusted. */
  readonly origins: readonly string[];
  /** Also trust the origin of the address each request was made to (its Host). */
  readonly trustRequestHost: boolean;
}

/** What a request says about where it comes from and where it went. */
export interface OriginFacts {
  /** The Origin header (browsers send it on every POST, PUT, PATCH and DELETE). */
  origin: string | null;
  /** The Referer header, used only when there is no Origin. */
  referer: string | null;
  /** The host the request was made to (Host, or a trusted proxy's X-Forwarded-Host). */
  host: string | null;
  /** Sec-Fetch-Site, sent by current browsers. */
  secFetchSite: string | null;
}

export type OriginCheck = { ok: true } | { ok: false; code: "cross_origin"; message: string };

/** host[:port]: a DNS name, an IPv4 address or a bracketed IPv6 address. */
const HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The origin of an http(s) URL ("https://ces.example.com"), or null for anything else. */
export function originOf(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return url.origin;
}

/**
 * An origin as configured: an http(s) URL with nothing after the host but an optional "/".
 * Returns the normalised origin, or an error naming what is wrong.
 */
export function parseConfiguredOrigin(value: string): { origin: string } | { error: string } {
  const origin = originOf(value);
  if (origin === null) return { error: `"${value}" is not an http(s) address such as https://ces.example.com` };
  const rest = value.trim().replace(/\/$/, "");
  if (rest.toLowerCase() !== origin.toLowerCase()) {
    return { error: `"${value}" must be an origin only (scheme, host and port, such as ${origin}), without a path` };
  }
  return { origin };
}

/** A comma- or space-separated list of origins (AUTH_TRUSTED_ORIGINS). */
export function parseOriginList(text: string): { origins: string[] } | { error: string } {
  const origins: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const parsed = parseConfiguredOrigin(entry);
    if ("error" in parsed) return parsed;
    if (!origins.includes(parsed.origin)) origins.push(parsed.origin);
  }
  return { origins };
}

/** The origins a request to `host` is the same-origin page of (http and https: the server may sit behind TLS). */
export function requestHostOrigins(host: string | null): string[] {
  if (!host || !HOST_PATTERN.test(host)) return [];
  const http = originOf(`http://${host}`);
  const https = originOf(`https://${host}`);
  return [http, https].filter((o): o is string => o !== null);
}

/** Every origin trusted for a request made to `host`. */
export function trustedOrigins(policy: OriginPolicy, host: string | null): string[] {
  const out = [...policy.origins];
  if (policy.trustRequestHost) for (const o of requestHostOrigins(host)) if (!out.includes(o)) out.push(o);
  return out;
}

function refusal(policy: OriginPolicy, from: string, host: string | null): OriginCheck {
  const stated = policy.origins;
  const message =
    stated.length > 0
      ? `This server accepts requests from ${stated.join(", ")} only, and this one came from ${from}. ` +
        `Open the app at ${stated[0] ?? ""}, or ask your administrator to add ${from} to AUTH_TRUSTED_ORIGINS.`
      : `Requests from ${from} are not accepted: only the app's own pages${host ? ` (at ${host})` : ""} may do this.`;
  return { ok: false, code: "cross_origin", message };
}

/**
 * Whether a request carrying a session may act: refused when a browser says it comes from
 * another site, or when its Origin (else its Referer) is not a trusted origin. A request with
 * neither (a script or command-line client, which no other site can make a browser send) is
 * not refused here; its session cookie still has to be valid.
 */
export function checkOrigin(policy: OriginPolicy, facts: OriginFacts): OriginCheck {
  if (facts.secFetchSite === "cross-site" || facts.secFetchSite === "same-site") {
    return refusal(policy, facts.origin ?? "another site", facts.host);
  }
  const claimed = facts.origin ?? (facts.referer ? (originOf(facts.referer) ?? "an unreadable Referer") : null);
  if (claimed === null) return { ok: true };
  if (claimed === "null") return refusal(policy, "a page without an origin (Origin: null)", facts.host);
  const origin = originOf(claimed);
  if (origin !== null && trustedOrigins(policy, facts.host).includes(origin)) return { ok: true };
  return refusal(policy, claimed, facts.host);
}
