/**
 * The limits every outbound request obeys (issue 17): https unless the installation allows
 * plain http (ALERTS_ALLOW_HTTP, for local receivers and tests), public addresses only unless it
 * allows private networks (ALERTS_ALLOW_PRIVATE_NETWORKS; checked in lib/alerts/server/network.ts),
 * no credentials in URLs, a timeout, a bounded request body and a bounded read of the answer.
 */
export const OUTBOUND_TIMEOUT_MS = 10_000;
export const MAX_PAYLOAD_BYTES = 256 * 1024;
/** How much of a receiver's answer is read and kept for the delivery log. */
export const MAX_RESPONSE_EXCERPT_BYTES = 2_048;
export const MAX_URL_LENGTH = 2_000;

export interface OutboundPolicy {
  /** Plain http (and SMTP without TLS) allowed: for receivers on a private network and for tests. */
  allowInsecure: boolean;
  /**
   * Webhook and Slack requests may go to loopback, private and link-local addresses
   * (lib/alerts/server/network.ts): for receivers inside the company network and for tests.
   */
  allowPrivateNetworks: boolean;
}

/** Why a destination URL is refused, or null when it is fine. */
export function destinationUrlProblem(text: string, policy: OutboundPolicy): string | null {
  if (text.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "must be a full URL, e.g. https://example.com/hooks/ces";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must start with https://";
  if (url.protocol === "http:" && !policy.allowInsecure) {
    return "must use https:// (plain http is allowed only when the server sets ALERTS_ALLOW_HTTP=true)";
  }
  if (url.username || url.password) return "must not contain a user name or password";
  if (url.hash) return "must not contain a #fragment";
  return null;
}

/** The policy of this server, from its environment. */
export function outboundPolicyFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): OutboundPolicy {
  const on = (value: string | undefined) => value === "true" || value === "1";
  return { allowInsecure: on(env.ALERTS_ALLOW_HTTP), allowPrivateNetworks: on(env.ALERTS_ALLOW_PRIVATE_NETWORKS) };
}

/** A URL for a log or an error message: origin and path, never the query (Slack's secret is the path, so it is cut too). */
export function redactedUrl(text: string): string {
  try {
    const url = new URL(text);
    const segments = url.pathname.split("/").filter(Boolean);
    const shown = segments.length > 2 ? `/${segments.slice(0, 2).join("/")}/…` : url.pathname;
    return `${url.origin}${shown}`;
  } catch {
    return "(invalid URL)";
  }
}
