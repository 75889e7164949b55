/**
 * The route group a request path belongs to, for request latency per group in /metrics: few
 * enough labels for Prometheus, grouped the way an operator reads them.
 */
export type RouteGroup = "ingest" | "api-admin" | "api" | "auth" | "health" | "metrics" | "static" | "page";

export function routeGroupOf(url: string): RouteGroup {
  const path = url.split("?")[0] ?? "/";
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  if (under("/v1") || under("/api/v1") || under("/api/segment")) return path === "/api/v1/openapi.json" ? "api" : "ingest";
  if (under("/api/health")) return "health";
  if (under("/metrics")) return "metrics";
  if (under("/api/auth")) return "auth";
  if (under("/api/admin")) return "api-admin";
  if (under("/api")) return "api";
  if (under("/_next") || path === "/favicon.ico" || path === "/icon.svg") return "static";
  return "page";
}
