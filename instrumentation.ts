/**
 * Runs once when the server starts: refuses to start without a valid sign-in configuration
 * (production needs AUTH_SECRET), then brings scores up to date (a new day shifts every
 * window) and re-checks every ten minutes so a server running past midnight stays current.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { authConfigFromEnv } = await import("./lib/server/auth-config");
  try {
    const config = authConfigFromEnv();
    if (process.env.NODE_ENV === "production" && !config.baseURL) {
      console.warn("AUTH_URL is not set: session cookies are marked Secure, so serve the app over https (or set AUTH_URL).");
    }
  } catch (error) {
    console.error(`Refusing to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const { startScoreFreshnessLoop } = await import("./lib/server/freshness-loop");
  startScoreFreshnessLoop();
}
