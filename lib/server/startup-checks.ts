import { getDatabase } from "@/db";
import { authConfigFromEnv } from "./auth-config";

/**
 * Checked once when the server starts: without a valid sign-in configuration (production
 * needs AUTH_SECRET) the process exits with a message saying what to set, instead of
 * serving an app whose sessions anyone could forge.
 */
export function assertStartupConfig(): void {
  try {
    const config = authConfigFromEnv();
    if (process.env.NODE_ENV === "production" && !config.baseURL) {
      console.warn("AUTH_URL is not set: session cookies are marked Secure, so serve the app over https (or set AUTH_URL).");
    }
  } catch (error) {
    refuseToStart(error);
  }
}

/**
 * Opens (and migrates) the database before the first request: a database this build cannot
 * use — one whose applied migrations differ from this build's (db/migration-check.ts), or a
 * path that cannot be opened — stops the server with the reason, instead of a server that
 * answers every request with 500.
 */
export function assertDatabaseReady(): void {
  try {
    getDatabase();
  } catch (error) {
    refuseToStart(error);
  }
}

function refuseToStart(error: unknown): never {
  console.error(`Refusing to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
