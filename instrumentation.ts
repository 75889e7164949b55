/**
 * Runs once when the server starts: refuses to start without a valid sign-in configuration
 * or with a database this build cannot use (e.g. one migrated by another build), makes the
 * forwarding headers of every request true (lib/server/edge.ts), then brings scores up to
 * date (a new day shifts every window) and re-checks every ten minutes so a server running
 * past midnight stays current.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertDatabaseReady, assertStartupConfig } = await import("./lib/server/startup-checks");
  const config = assertStartupConfig();
  assertDatabaseReady();
  const { installEdgeHook } = await import("./lib/server/edge");
  installEdgeHook(config.trustedProxies);
  const { startScoreFreshnessLoop } = await import("./lib/server/freshness-loop");
  startScoreFreshnessLoop();
}
