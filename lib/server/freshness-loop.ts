import { getDatabase } from "@/db";
import { ensureScoresCurrent } from "./freshness";
import { syncScores } from "./score-sync";

const CHECK_EVERY_MS = 10 * 60 * 1000;

function check(): void {
  try {
    const db = getDatabase();
    const summary = ensureScoresCurrent(db);
    if (summary) {
      console.log(`[scores] recomputed ${summary.accounts} accounts as of day ${summary.asOfDay} in ${summary.millis} ms`);
    }
    // Events another process stored (the CSV CLI, a second server) reach the scores here at the latest.
    syncScores(db);
  } catch (error) {
    // Never swallow: log loudly; the next check tries again and pages keep the last scores.
    console.error("[scores] could not bring scores up to date", error);
  }
}

export function startScoreFreshnessLoop(): void {
  check();
  setInterval(check, CHECK_EVERY_MS).unref();
}
