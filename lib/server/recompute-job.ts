import "server-only";
import { log } from "@/lib/log";
import type { Database } from "@/db";
import { todayDay, type DayNumber } from "../days";
import type { ScoringConfig } from "../scoring/config";
import { computeScoreRows, HISTORY_DAYS, writeScoreRows, type ScoreRow, type ScoringRun } from "./recompute";
import { scoresAreCurrent } from "./freshness";
import { noteFullRecompute } from "./operations/metrics";
import { writeScoreWatermark } from "./score-watermark";
import { applyConfigVersion, configInForce, pendingConfigVersion, weightTableFor } from "./scoring-config";
import { getScoringSettings } from "./settings";

export interface RecomputeJobState {
  status: "idle" | "running" | "done" | "failed";
  versionId: number | null;
  done: number;
  total: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

interface JobSlot {
  state: RecomputeJobState;
  promise: Promise<RecomputeJobState> | null;
}

const slot = globalThis as unknown as { cesRecomputeJob?: JobSlot };

function jobSlot(): JobSlot {
  slot.cesRecomputeJob ??= {
    state: { status: "idle", versionId: null, done: 0, total: 0, startedAt: null, finishedAt: null, error: null },
    promise: null,
  };
  return slot.cesRecomputeJob;
}

export function recomputeJobState(): RecomputeJobState {
  return { ...jobSlot().state };
}

export function isRecomputeRunning(): boolean {
  return jobSlot().state.status === "running";
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Recomputes current scores and the full daily history when they are out of date: with the
 * newest saved configuration version if one is pending (applying it), else with the one in
 * force when the UTC day has turned. It does not block the server: accounts are scored in
 * chunks between which the event loop serves requests, and everything — configuration,
 * scores and history — is written in one short final transaction. Until then readers see the
 * previous consistent scores; events that arrive meanwhile are caught up in that transaction.
 * Returns the running job's promise, or null when the scores are current.
 */
export function startRecompute(db: Database, today = todayDay()): Promise<RecomputeJobState> | null {
  const job = jobSlot();
  if (job.state.status === "running" && job.promise) return job.promise;
  const pending = pendingConfigVersion(db);
  const target = pending ?? (scoresAreCurrent(db, today) ? null : { id: getScoringSettings(db).configVersion, config: configInForce(db) });
  if (!target) return null;
  job.state = {
    status: "running",
    versionId: target.id,
    done: 0,
    total: db.sqlite.prepare("SELECT count(*) FROM accounts").pluck().get() as number,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    error: null,
  };
  job.promise = runRecompute(db, target.id, target.config, today, job).finally(() => {
    job.promise = null;
  });
  return job.promise;
}

async function runRecompute(db: Database, versionId: number, config: ScoringConfig, today: DayNumber, job: JobSlot): Promise<RecomputeJobState> {
  const started = performance.now();
  try {
    const run: ScoringRun = {
      asOfDay: today,
      historyDays: HISTORY_DAYS,
      windowDays: config.settings.windowDays,
      compareDays: config.settings.compareDays,
      thresholds: config.settings.thresholds,
      decline: config.settings.decline,
      weights: weightTableFor(db, config),
      configVersion: versionId,
    };
    const marks = db.sqlite
      .prepare("SELECT (SELECT coalesce(max(id), 0) FROM events) AS lastEvent, (SELECT coalesce(max(id), 0) FROM accounts) AS lastAccount")
      .get() as { lastEvent: number; lastAccount: number };

    const rows: ScoreRow[] = [];
    for (const chunk of computeScoreRows(db, run)) {
      rows.push(...chunk);
      job.state.done = rows.length;
      await yieldToEventLoop();
    }

    db.sqlite
      .transaction(() => {
        applyConfigVersion(db, versionId, config);
        writeScoreRows(db, run, rows);
        // Accounts that received events (or were created) while we computed: score them again
        // now, inside the lock, so no event is missing from the new scores.
        const late = db.sqlite
          .prepare("SELECT DISTINCT account_id FROM events WHERE id > ? UNION SELECT id FROM accounts WHERE id > ?")
          .pluck()
          .all(marks.lastEvent, marks.lastAccount) as number[];
        if (late.length > 0) for (const chunk of computeScoreRows(db, run, late)) writeScoreRows(db, run, chunk);
        // Every stored event is now in the scores: the incremental sync starts from here.
        writeScoreWatermark(db);
      })
      .immediate();

    job.state = { ...job.state, status: "done", done: rows.length, finishedAt: new Date().toISOString() };
    noteFullRecompute((performance.now() - started) / 1000);
  } catch (error) {
    log.error("score recompute failed; the previous scores stay in force", { component: "scores", configVersion: versionId, err: error });
    job.state = {
      ...job.state,
      status: "failed",
      finishedAt: new Date().toISOString(),
      error: error instanceof Error ? error.message : String(error),
    };
  }
  return { ...job.state };
}
