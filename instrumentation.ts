/**
 * Runs once when the server starts: brings scores up to date (a new day shifts every
 * window) and re-checks every ten minutes so a server running past midnight stays current.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startScoreFreshnessLoop } = await import("./lib/server/freshness-loop");
  startScoreFreshnessLoop();
}
