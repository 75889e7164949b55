import { log } from "@/lib/log";
import { getDatabase } from "@/db";
import { startRecompute } from "./recompute-job";
import { noteScoresSynced } from "./operations/metrics";
import { syncScores } from "./score-sync";
import { warmTeamViews } from "./teams/warm";

const CHECK_EVERY_MS = 60 * 1000;

function check(): void {
  try {
    const db = getDatabase();
    // Events another process stored (the CSV CLI, a second server) reach the scores here at the latest.
    const started = performance.now();
    syncScores(db);
    noteScoresSynced((performance.now() - started) / 1000);
    const job = startRecompute(db);
    job?.then((state) => {
      if (state.status === "done") log.info("scores recomputed", { component: "scores", accounts: state.done, configVersion: state.versionId });
    });
  } catch (error) {
    // Never swallow: log loudly; the next check tries again and pages keep the last scores.
    log.error("could not bring scores up to date; the next check tries again", { component: "scores", err: error });
  }
  try {
    const millis = warmTeamViews(getDatabase());
    if (millis > 250) log.info("prepared the team views' figures", { component: "teams", millis });
  } catch (error) {
    log.error("could not prepare the team views' figures", { component: "teams", err: error });
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
