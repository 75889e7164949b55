import { getDb, legacyDatabaseOn } from "@/db";
import type { Db } from "@/db/client";
import { sqliteConnectionOf } from "@/db/sqlite-client";
import { log } from "@/lib/log";
import { msSinceIngestion } from "@/lib/ingestion/server/activity";
import { startRecompute, type RecomputeJobState } from "./recompute-job";
import { noteScoresSynced } from "@/lib/operations/server/metrics";
import { syncScores } from "./score-sync";
import { warmTeamViews } from "@/lib/teams/server/warm";

const CHECK_EVERY_MS = 60 * 1000;

/**
 * How often the loop checks (SCORES_CHECK_SECONDS, default 60): how soon a server takes in
 * events another process stored without telling it (the CSV command line) and a version or a
 * new day another server has not applied (every server on a PostgreSQL database checks; one
 * applies). The fleet test checks every second so the second server tries while the first
 * one applies.
 */
export function checkEveryMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.SCORES_CHECK_SECONDS;
  if (raw === undefined || raw === "") return CHECK_EVERY_MS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) throw new Error(`SCORES_CHECK_SECONDS must be a whole number of seconds from 1 to 3600, not "${raw}"`);
  return seconds * 1000;
}

/**
 * The team views are warmed once ingestion has been quiet for this long. While events stream
 * in, every score sync moves thousands of accounts, so each warm-up reloaded the whole team
 * dataset (seconds of CPU a minute, a quarter of the server's time under sustained
 * ingestion) for figures that were stale again before anyone looked; the views still load
 * what changed when someone opens them.
 */
export const WARM_AFTER_QUIET_MS = CHECK_EVERY_MS;

export interface FreshnessCheck {
  /** Whether the team views were warmed (false while ingestion is busy, or on an error). */
  warmed: boolean;
  /** The recompute this check started (it runs in the background), or null. */
  recompute: Promise<RecomputeJobState | null> | null;
}

/** One pass of the loop: scores brought up to date, then the team views warmed when ingestion is quiet. */
export async function runFreshnessCheck(db: Db): Promise<FreshnessCheck> {
  let recompute: Promise<RecomputeJobState | null> | null = null;
  try {
    // Events another process stored (the CSV CLI, a second server) reach the scores here at the latest.
    const started = performance.now();
    await syncScores(db);
    noteScoresSynced((performance.now() - started) / 1000);
    // Not awaited: the recompute runs in the background (chunks between which requests are served).
    // It logs "scores recomputed" itself, once: a check that finds it running joins its promise.
    recompute = startRecompute(db);
  } catch (error) {
    // Never swallow: log loudly; the next check tries again and pages keep the last scores.
    log.error("could not bring scores up to date; the next check tries again", { component: "scores", err: error });
  }
  // How long ingestion has been quiet is still kept on the legacy SQLite handle (ingestion's
  // own move to the data layer, issue 15): on PostgreSQL the team views load what they need
  // when someone opens them until then.
  const sqlite = sqliteConnectionOf(db);
  if (!sqlite) return { warmed: false, recompute };
  if (msSinceIngestion(legacyDatabaseOn(sqlite)) < WARM_AFTER_QUIET_MS) return { warmed: false, recompute };
  try {
    const millis = await warmTeamViews(db);
    if (millis > 250) log.info("prepared the team views' figures", { component: "teams", millis });
    return { warmed: true, recompute };
  } catch (error) {
    log.error("could not prepare the team views' figures", { component: "teams", err: error });
    return { warmed: false, recompute };
  }
}

/**
 * Keeps scores current in the server, on either database: at start (a new day shifts every
 * window; a saved configuration may not be applied yet) and every minute after. With several
 * servers on one PostgreSQL database each runs the loop; the score writers' lock and the
 * recompute claim make the work happen once.
 */
export function startScoreFreshnessLoop(): void {
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      await runFreshnessCheck(await getDb());
    } catch (error) {
      log.error("the score freshness check failed; the next one tries again", { component: "scores", err: error });
    } finally {
      running = false;
    }
  };
  const every = checkEveryMs();
  void check();
  setInterval(() => void check(), every).unref();
}
