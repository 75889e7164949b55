import { getDb } from "@/db";
import { log, logLevelProblem } from "@/lib/log";
import { serverAuthConfig, type AuthConfig } from "@/lib/auth/server/auth-config";
import { metricsTokenProblem } from "./metrics-access";

/**
 * Checked once when the server starts: without a valid sign-in configuration (production
 * needs AUTH_SECRET and AUTH_URL, or AUTH_TRUST_HOST for the demo), with an unknown LOG_LEVEL
 * or a METRICS_TOKEN too short to be a secret, the process exits with a message saying what
 * to set, instead of serving an app whose sessions anyone could forge.
 */
export function assertStartupConfig(): AuthConfig {
  try {
    const problem = logLevelProblem() ?? metricsTokenProblem();
    if (problem) throw new Error(problem);
    const config = serverAuthConfig();
    const { origins, trustRequestHost } = config.originPolicy;
    const where = [...origins, ...(trustRequestHost ? ["the address each request is made to"] : [])].join(", ");
    const proxies = config.trustedProxies.entries.length ? config.trustedProxies.entries.join(", ") : "none";
    log.info(`Sign-in accepted from: ${where}. Trusted proxies: ${proxies}.`, { component: "startup" });
    return config;
  } catch (error) {
    refuseToStart(error);
  }
}

/**
 * Opens (and migrates) the database the environment names before the first request: the
 * SQLite file at DATABASE_PATH, or the PostgreSQL database at DATABASE_URL. A database this
 * build cannot use — one whose applied migrations differ from this build's
 * (db/migration-check.ts), a path that cannot be opened, a PostgreSQL server that refuses the
 * connection — stops the server with the reason, instead of a server that answers every
 * request with 500.
 */
export async function assertDatabaseReady(): Promise<void> {
  try {
    await getDb();
  } catch (error) {
    refuseToStart(error);
  }
}

function refuseToStart(error: unknown): never {
  log.error(`Refusing to start: ${error instanceof Error ? error.message : String(error)}`, { component: "startup" });
  process.exit(1);
}
