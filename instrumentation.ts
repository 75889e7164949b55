import type { Instrumentation } from "next";

/**
 * Runs once when the server starts: refuses to start without a valid configuration, then
 * keeps scores current (a new day shifts every window; re-checked every minute), schedules
 * the operations jobs (retention) and installs the graceful shutdown on SIGTERM
 * (lib/server/operations/lifecycle.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertStartupConfig } = await import("./lib/server/startup-checks");
  assertStartupConfig();
  const { startScoreFreshnessLoop } = await import("./lib/server/freshness-loop");
  startScoreFreshnessLoop();
  const { installOperations } = await import("./lib/server/operations/lifecycle");
  installOperations();
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
