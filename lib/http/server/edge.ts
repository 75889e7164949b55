import "server-only";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { clientAddress, isTrustedProxy, type TrustedProxies } from "../forwarded";
import type { OriginFacts } from "@/lib/auth/origin-policy";
import { KeyedGate } from "@/lib/keyed-gate";
import { API_CONTENT_SECURITY_POLICY, BASE_SECURITY_HEADERS, malformedPathAnswer } from "../security-headers";

/**
 * The first thing every HTTP request meets, before Next.js reads it: the X-Forwarded-*
 * headers are made true. Next.js itself only fills them in when they are missing, so a client
 * could otherwise choose the address the sign-in limits count (X-Forwarded-For) or the host
 * the origin rules see (X-Forwarded-Host).
 *
 * - X-Forwarded-For becomes the one client address: the connection's peer, or, when the peer
 *   is a trusted proxy (TRUSTED_PROXIES), the address that proxy chain vouches for.
 * - X-Forwarded-Host, -Proto, -Port and Forwarded are dropped unless the peer is a trusted
 *   proxy (Next.js then fills them in from the request itself).
 * - A path that cannot be decoded (a lone "%") is answered 400 here, with the security headers:
 *   Next.js would throw on it and answer a bare plain-text 500.
 * - Each signed-in session gets a fair share: at most SESSION_CONCURRENCY of its requests are
 *   worked on at once (as many as a browser opens to one host); the rest wait here, costing
 *   nothing, so one user's twenty connections cannot make everyone else's requests queue
 *   behind theirs (issue 14 item 2). Ingestion (write keys) and static files are not counted.
 * - A header with a per-process random value marks the request as prepared, so code reading
 *   these headers can tell a prepared request from one that arrived before the hook was
 *   installed (the server accepts connections while it starts) and trust nothing in that one.
 */
export const EDGE_HEADER = "x-ces-edge";

const globalForEdge = globalThis as unknown as { cesEdgeToken?: string; cesEdgeInstalled?: boolean };

function edgeToken(): string {
  globalForEdge.cesEdgeToken ??= randomBytes(18).toString("base64url");
  return globalForEdge.cesEdgeToken;
}

function first(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Rewrites the forwarding headers of an incoming request (see above). */
export function prepareIncomingRequest(req: http.IncomingMessage, proxies: TrustedProxies): void {
  const headers = req.headers;
  const peer = req.socket.remoteAddress ?? "";
  if (!isTrustedProxy(proxies, peer)) {
    delete headers["x-forwarded-host"];
    delete headers["x-forwarded-proto"];
    delete headers["x-forwarded-port"];
    delete headers.forwarded;
  }
  const client = clientAddress(peer, first(headers["x-forwarded-for"]), proxies);
  if (client) headers["x-forwarded-for"] = client;
  else delete headers["x-forwarded-for"];
  headers[EDGE_HEADER] = edgeToken();
}

/** Requests of one session worked on at once; the rest wait. Browsers open six connections to a host. */
export const SESSION_CONCURRENCY = 6;
/** Requests of one session that may wait; past that, 429. */
export const SESSION_MAX_WAITING = 100;

const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?ces\.session_token=([^;]*)/;
const UNCOUNTED = /^\/(?:_next\/|v1(?:\/|$)|api\/v1(?:\/|$)|api\/segment\/|api\/health$|favicon\.ico$|icon\.svg$)/;

/** The session a request belongs to, for the fair share; null when it is not counted. */
export function fairShareKey(url: string, cookie: string | undefined): string | null {
  const path = url.split("?", 1)[0] ?? "";
  if (UNCOUNTED.test(path)) return null;
  const token = cookie ? SESSION_COOKIE.exec(cookie)?.[1] : undefined;
  return token ? token : null;
}

const sessions = new KeyedGate(SESSION_CONCURRENCY, SESSION_MAX_WAITING);

function tooManyAtOnce(res: http.ServerResponse): void {
  const headers: Record<string, string> = { "Content-Type": "application/json", "Cache-Control": "no-store", "Retry-After": "5", "Content-Security-Policy": API_CONTENT_SECURITY_POLICY };
  for (const { key, value } of BASE_SECURITY_HEADERS) headers[key] = value;
  const body = { success: false, error: { code: "too_many_requests", message: "Too many requests at once from this session; try again in a few seconds." } };
  res.writeHead(429, headers).end(JSON.stringify(body));
}

/** Hands the request to Next.js when its session's turn comes (at once, for most). */
function admit(req: http.IncomingMessage, res: http.ServerResponse, handOver: () => void): void {
  const key = fairShareKey(req.url ?? "/", req.headers.cookie);
  if (key === null) return handOver();
  const entry = sessions.enter(key, (leave) => {
    res.once("close", leave);
    handOver();
  });
  if (entry.admitted) return;
  if (entry.refused) {
    req.resume();
    return tooManyAtOnce(res);
  }
  // The client gave up while waiting: its place is not needed any more.
  res.once("close", entry.cancel);
}

/** Installs the rewrite on every HTTP server of this process (idempotent). */
export function installEdgeHook(proxies: TrustedProxies): void {
  if (globalForEdge.cesEdgeInstalled) return;
  globalForEdge.cesEdgeInstalled = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitPrepared(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    const forward = () => emit.apply(this, [event, ...args] as Parameters<typeof emit>);
    const [req, res] = args;
    if (event !== "request" || !(req instanceof http.IncomingMessage) || !(res instanceof http.ServerResponse)) return forward();
    const answer = malformedPathAnswer(req.url ?? "/");
    if (answer) {
      res.writeHead(answer.status, answer.headers).end(answer.body);
      req.resume();
      return true;
    }
    prepareIncomingRequest(req, proxies);
    admit(req, res, forward);
    return true;
  };
}

/** Whether these headers went through prepareIncomingRequest in this process. */
export function isPrepared(headers: Headers): boolean {
  const value = headers.get(EDGE_HEADER);
  return value !== null && value === globalForEdge.cesEdgeToken;
}

/** The host a request was made to: a trusted proxy's X-Forwarded-Host, else Host. */
export function requestHost(headers: Headers): string | null {
  const forwarded = isPrepared(headers) ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return forwarded || headers.get("host");
}

/** The client's address when it is known (a prepared request), else null. */
export function requestClientAddress(headers: Headers): string | null {
  return isPrepared(headers) ? headers.get("x-forwarded-for") : null;
}

/** What the origin rules look at (lib/auth/origin-policy.ts). */
export function originFacts(headers: Headers): OriginFacts {
  return {
    origin: headers.get("origin"),
    referer: headers.get("referer"),
    host: requestHost(headers),
    secFetchSite: headers.get("sec-fetch-site"),
  };
}
