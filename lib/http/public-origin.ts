/**
 * The address a visitor reached this server at, as the browser sees it: behind a reverse
 * proxy the request arrives from the proxy, which says where the visitor came in through
 * `X-Forwarded-Proto` / `X-Forwarded-Host` (or the standard `Forwarded` header). Without a
 * proxy, the request's own Host and protocol. Used for the addresses we hand to browsers
 * and SDKs (analytics.js settings, copy-paste snippets).
 *
 * `X-Forwarded-Port` is ignored on purpose: Next.js fills it with its own local port when no
 * proxy set it, which would turn "ces.example.com" into "ces.example.com:3000".
 */
export interface PublicOrigin {
  protocol: "http" | "https";
  /** Host name with the port when it is not the default, e.g. "ces.example.com" or "127.0.0.1:3000". */
  host: string;
}

export type HeaderReader = (name: string) => string | null;

/** A host[:port] as a browser may use it: name or IPv4 or [IPv6], optional port; nothing else. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function firstValue(value: string | null): string | null {
  const first = value?.split(",")[0]?.trim().replace(/^"(.*)"$/, "$1");
  return first ? first : null;
}

function protocolOf(value: string | null): PublicOrigin["protocol"] | null {
  const v = value?.toLowerCase().replace(/:$/, "");
  return v === "http" || v === "https" ? v : null;
}

function hostOf(value: string | null): string | null {
  return value !== null && HOST.test(value) ? value.toLowerCase() : null;
}

/** The `proto` and `host` of the first (the visitor's) element of a `Forwarded` header (RFC 7239). */
function forwarded(value: string | null): { proto: string | null; host: string | null } {
  const first = value?.split(",")[0] ?? "";
  const pairs = new Map<string, string>();
  for (const part of first.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) pairs.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1"));
  }
  return { proto: pairs.get("proto") ?? null, host: pairs.get("host") ?? null };
}

/** Where the visitor reached us: proxy headers first, then the request itself; unusable values are skipped. */
export function publicOrigin(header: HeaderReader, requestUrl: string | null): PublicOrigin {
  const standard = forwarded(header("forwarded"));
  let url: URL | null = null;
  try {
    url = requestUrl ? new URL(requestUrl) : null;
  } catch {
    url = null;
  }
  const protocol =
    protocolOf(firstValue(header("x-forwarded-proto"))) ?? protocolOf(standard.proto) ?? protocolOf(url?.protocol ?? null) ?? "http";
  const host =
    hostOf(firstValue(header("x-forwarded-host"))) ?? hostOf(standard.host) ?? hostOf(firstValue(header("host"))) ?? hostOf(url?.host ?? null) ?? "localhost";
  return { protocol, host: withoutDefaultPort(host, protocol) };
}

function withoutDefaultPort(host: string, protocol: PublicOrigin["protocol"]): string {
  const defaultPort = protocol === "https" ? ":443" : ":80";
  return host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host;
}

export function originUrl(origin: PublicOrigin): string {
  return `${origin.protocol}://${origin.host}`;
}
