import { getDatabase } from "@/db";
import { ensureScoresCurrent } from "./freshness";
import { warmTeamViews } from "./teams/warm";

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
  try {
    const millis = warmTeamViews(getDatabase());
    if (millis > 250) console.log(`[teams] prepared the team views' figures in ${millis} ms`);
  } catch (error) {
    console.error("[teams] could not prepare the team views' figures", error);
  }
}

export function startScoreFreshnessLoop(): void {
  check();
  setInterval(check, CHECK_EVERY_MS).unref();
}
