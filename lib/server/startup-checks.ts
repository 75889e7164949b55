import { log, logLevelProblem } from "@/lib/log";
import { authConfigFromEnv } from "./auth-config";
import { metricsTokenProblem } from "./operations/metrics-access";

/**
 * Checked once when the server starts: without a valid sign-in configuration (production
 * needs AUTH_SECRET) the process exits with a message saying what to set, instead of
 * serving an app whose sessions anyone could forge.
 */
export function assertStartupConfig(): void {
  try {
    const problem = logLevelProblem() ?? metricsTokenProblem();
    if (problem) throw new Error(problem);
    const config = authConfigFromEnv();
    if (process.env.NODE_ENV === "production" && !config.baseURL) {
      log.warn("AUTH_URL is not set: session cookies are marked Secure, so serve the app over https (or set AUTH_URL).");
    }
  } catch (error) {
    log.error(`Refusing to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
