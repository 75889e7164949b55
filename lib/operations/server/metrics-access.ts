import "server-only";
import { timingSafeEqual } from "node:crypto";
import { apiError } from "@/lib/http/server/http";

/**
 * GET /metrics is for a Prometheus scraper holding METRICS_TOKEN (`Authorization: Bearer …`);
 * a session never opens it. Without METRICS_TOKEN the endpoint is off.
 */
export const MIN_METRICS_TOKEN_LENGTH = 16;

export function metricsTokenProblem(env: Record<string, string | undefined> = process.env): string | null {
  const token = env.METRICS_TOKEN;
  if (token === undefined || token === "") return null;
  return token.length < MIN_METRICS_TOKEN_LENGTH ? `METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters (openssl rand -hex 24)` : null;
}

/** Null when the request may read the metrics, else the answer to send. */
export function refuseMetricsRequest(request: Request, env: Record<string, string | undefined> = process.env): Response | null {
  const token = env.METRICS_TOKEN;
  if (!token) return apiError(403, "metrics_disabled", "Metrics are off: set METRICS_TOKEN on the server and scrape with Authorization: Bearer <token>.");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  const given = Buffer.from(match?.[1] ?? "");
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return apiError(401, "invalid_metrics_token", "Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.", { headers: { "WWW-Authenticate": 'Bearer realm="metrics"' } });
  }
  return null;
}
