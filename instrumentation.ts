import type { Instrumentation } from "next";

/**
 * Runs once when the server starts: refuses to start without a valid sign-in configuration
 * or with a database this build cannot use (e.g. one migrated by another build), makes the
 * forwarding headers of every request true (lib/http/server/edge.ts), installs the operations
 * (request metrics, the scheduled retention job and the graceful shutdown on SIGTERM:
 * lib/operations/server/lifecycle.ts), then brings scores up to date (a new day shifts every
 * window) and re-checks every minute so a server running past midnight stays current.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertDatabaseReady, assertStartupConfig } = await import("./lib/operations/server/startup-checks");
  const config = assertStartupConfig();
  await assertDatabaseReady();
  const { installEdgeHook } = await import("./lib/http/server/edge");
  installEdgeHook(config.trustedProxies);
  const { installOperations } = await import("./lib/operations/server/lifecycle");
  installOperations();
  const { startScoreFreshnessLoop } = await import("./lib/scoring/server/freshness-loop");
  startScoreFreshnessLoop();
  // Alerts: score transitions into alerts, tasks and messages; the outbox delivered (docs/adr/0016-alerts-outbox-and-read-api.md).
  const { startAlertWorkerInServer } = await import("./lib/alerts/server/server-worker");
  startAlertWorkerInServer();
}

/**
 * Every server error of a page or route is logged as one JSON line whose requestId is the
 * digest the error page shows the user ("reference …").
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { log } = await import("./lib/log");
  const digest = (error as { digest?: unknown } | null)?.digest;
  log.error("request failed", {
    requestId: typeof digest === "string" ? digest : undefined,
    method: request.method,
    path: request.path.split("?")[0],
    route: context.routePath,
    routeType: context.routeType,
    err: error,
  });
};
