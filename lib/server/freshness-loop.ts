import { getDatabase } from "@/db";
import { startRecompute } from "./recompute-job";

const CHECK_EVERY_MS = 60 * 1000;

function check(): void {
  try {
    const job = startRecompute(getDatabase());
    job?.then((state) => {
      if (state.status === "done") console.log(`[scores] recomputed ${state.done} accounts with configuration ${state.versionId}`);
    });
  } catch (error) {
    // Never swallow: log loudly; the next check tries again and pages keep the last scores.
    console.error("[scores] could not bring scores up to date", error);
  }
}

/**
 * Keeps scores current in the server: at start (a new day shifts every window; a saved
 * configuration may not be applied yet) and every minute after.
 */
export function startScoreFreshnessLoop(): void {
  check();
  setInterval(check, CHECK_EVERY_MS).unref();
}
