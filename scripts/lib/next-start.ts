/**
 * The arguments every production server of ours starts with (`npm start`, the demo, the e2e
 * servers). Node closes an idle keep-alive connection after 5 s; a client (a load balancer, an
 * SDK, a test's request context) that reuses it at that moment gets ECONNRESET. Servers behind
 * a proxy keep idle connections longer than the proxy does (AWS ALB and nginx use 60 s), so the
 * proxy, not the app, closes them first.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function nextStartArgs(port: string | number, host?: string): string[] {
  return ["start", "-p", String(port), ...(host ? ["-H", host] : []), "--keepAliveTimeout", String(KEEP_ALIVE_TIMEOUT_MS)];
}
