import { getDatabase } from "@/db";
import { ensureScoresCurrent } from "./freshness";

const CHECK_EVERY_MS = 10 * 60 * 1000;

function check(): void {
  try {
    const summary = ensureScoresCurrent(getDatabase());
    if (summary) {
      console.log(`[scores] recomputed ${summary.accounts} accounts as of day ${summary.asOfDay} in ${summary.millis} ms`);
    }
  } catch (error) {
    // Never swallow: log loudly; the next check tries again and pages keep the last scores.
    console.error("[scores] could not bring scores up to date", error);
  }
}

export function startScoreFreshnessLoop(): void {
  check();
  setInterval(check, CHECK_EVERY_MS).unref();
}
