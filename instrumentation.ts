/**
 * Runs once when the server starts: refuses to start without a valid sign-in configuration,
 * then brings scores up to date (a new day shifts every window) and re-checks every ten
 * minutes so a server running past midnight stays current.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertStartupConfig } = await import("./lib/server/startup-checks");
  assertStartupConfig();
  const { startScoreFreshnessLoop } = await import("./lib/server/freshness-loop");
  startScoreFreshnessLoop();
  // Alerts: score transitions into alerts, tasks and messages; the outbox delivered (docs/adr/0011-alerts-outbox-and-read-api.md).
  const { startAlertWorkerInServer } = await import("./lib/alerts/server/server-worker");
  startAlertWorkerInServer();
}
