import "server-only";

/**
 * Whether this process has begun a graceful shutdown (lib/operations/server/lifecycle.ts). On
 * globalThis: Next bundles instrumentation (which handles the signal) and the route handlers
 * (which refuse new ingestion and sync before answering) separately, and each bundle would
 * otherwise read a flag of its own. Its own module, so the ingestion scheduler can ask without
 * importing the lifecycle (which imports the scheduler).
 */
const flag = globalThis as unknown as { cesShuttingDown?: boolean };

export function isShuttingDown(): boolean {
  return flag.cesShuttingDown === true;
}

export function markShuttingDown(): void {
  flag.cesShuttingDown = true;
}
