/**
 * Runs once when the server starts: refuses to start without a valid sign-in configuration
 * or with a database this build cannot use (e.g. one migrated by another build), then brings
 * scores up to date (a new day shifts every window) and re-checks every ten minutes so a
 * server running past midnight stays current.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertDatabaseReady, assertStartupConfig } = await import("./lib/server/startup-checks");
  assertStartupConfig();
  assertDatabaseReady();
  const { startScoreFreshnessLoop } = await import("./lib/server/freshness-loop");
  startScoreFreshnessLoop();
}
