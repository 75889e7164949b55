import { getDatabase, getDb, usesSqlite, type Database } from "@/db";
import type { Db } from "@/db/client";
import { SqliteDb } from "@/db/sqlite-client";
import { log } from "@/lib/log";
import { msSinceIngestion } from "./ingest/activity";
import { startRecompute } from "./recompute-job";
import { noteScoresSynced } from "./operations/metrics";
import { syncScores } from "./score-sync";
import { warmTeamViews } from "./teams/warm";

const CHECK_EVERY_MS = 60 * 1000;

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
}

/**
 * One pass of the loop: scores brought up to date, then the team views warmed when ingestion is
 * quiet (on the data layer's handle of the same connection).
 */
export async function runFreshnessCheck(db: Database, views: Db = new SqliteDb(db.sqlite, db.file)): Promise<FreshnessCheck> {
  try {
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
  if (msSinceIngestion(db) < WARM_AFTER_QUIET_MS) return { warmed: false };
  try {
    const millis = await warmTeamViews(views);
    if (millis > 250) log.info("prepared the team views' figures", { component: "teams", millis });
    return { warmed: true };
  } catch (error) {
    log.error("could not prepare the team views' figures", { component: "teams", err: error });
    return { warmed: false };
  }
}

/**
 * Keeps scores current in the server: at start (a new day shifts every window; a saved
 * configuration may not be applied yet) and every minute after.
 */
export function startScoreFreshnessLoop(): void {
  if (!usesSqlite()) {
    // Score sync and the recompute are not on the data layer yet (issue 15): say so once, loudly.
    log.warn("scores are not kept current on PostgreSQL yet: the score sync and the recompute still run on SQLite only", { component: "scores" });
    return;
  }
  const check = async () => runFreshnessCheck(getDatabase(), await getDb());
  void check();
  setInterval(() => void check(), CHECK_EVERY_MS).unref();
}
