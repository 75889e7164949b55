import "server-only";
import { log } from "@/lib/log";
import { sql } from "drizzle-orm";
import { legacyDatabaseOn, type Database } from "@/db";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { isPostgresDb, type PostgresDb } from "@/db/postgres-client";
import { sqliteConnectionOf } from "@/db/sqlite-client";
import { todayDay, type DayNumber } from "@/lib/days";
import type { ScoringConfig } from "../config";
import { computeScoreRows, HISTORY_DAYS, writeScoreRows, type ScoreRow, type ScoringRun } from "./recompute";
import { computeScoreRowsOn, writeScoreRowsOn } from "./recompute-db";
import { checkScoresCurrent, scoresAreCurrent } from "./freshness";
import { announceScoreTransitions } from "./score-change-log";
import { idRows } from "./score-queries";
import { unseenBy } from "@/db/commit-horizon";
import { currentScoreMark, followMark, saveScoreWatermark, scoreWriterTransaction, type ScoreMark } from "./score-watermark";
import { noteFullRecompute } from "@/lib/operations/server/metrics";
import { writeScoreWatermark } from "./score-watermark";
import { applyConfigVersion, applyConfigVersionOn, configInForce, loadConfigInForce, loadPendingConfigVersion, loadWeightTableFor, pendingConfigVersion, weightTableFor } from "./scoring-config";
import { getScoringSettings } from "./settings";
import { expectRow } from "@/db/sqlite-client";
import { yieldToEventLoop } from "@/lib/event-loop";

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
  promise: Promise<RecomputeJobState | null> | null;
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

/**
 * One line per recompute, by the server that ran it (whoever started it: the freshness loop,
 * a weights save). Callers that joined a running job do not log it again.
 */
function logRecomputed(state: RecomputeJobState): void {
  log.info("scores recomputed", { component: "scores", accounts: state.done, configVersion: state.versionId });
}


/**
 * Recomputes current scores and the full daily history when they are out of date: with the
 * newest saved configuration version if one is pending (applying it), else with the one in
 * force when the UTC day has turned. It does not block the server: accounts are scored in
 * chunks between which the event loop serves requests, and everything — configuration,
 * scores and history — is written in one short final transaction. Until then readers see the
 * previous consistent scores; events that arrive meanwhile are caught up in that transaction.
 * Returns the running job's promise, or null when the scores are current.
 */
export function startRecomputeSqlite(db: Database, today: DayNumber): Promise<RecomputeJobState | null> | null {
  const job = jobSlot();
  if (job.state.status === "running" && job.promise) return job.promise;
  const pending = pendingConfigVersion(db);
  const target = pending ?? (scoresAreCurrent(db, today) ? null : { id: getScoringSettings(db).configVersion, config: configInForce(db) });
  if (!target) return null;
  job.state = {
    status: "running",
    versionId: target.id,
    done: 0,
    total: db.sqlite.prepare<unknown[], number>("SELECT count(*) FROM accounts").pluck().get() ?? 0,
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
    const marks = expectRow(
      db.sqlite
        .prepare<unknown[], { lastEvent: Column<typeof schema.events, "id">; lastAccount: Column<typeof schema.accounts, "id"> }>(
          "SELECT (SELECT coalesce(max(id), 0) FROM events) AS lastEvent, (SELECT coalesce(max(id), 0) FROM accounts) AS lastAccount",
        )
        .get(),
      "the newest event and account ids",
    );

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
          .prepare<unknown[], Column<typeof schema.accounts, "id">>("SELECT DISTINCT account_id FROM events WHERE id > ? UNION SELECT id FROM accounts WHERE id > ?")
          .pluck()
          .all(marks.lastEvent, marks.lastAccount);
        if (late.length > 0) for (const chunk of computeScoreRows(db, run, late)) writeScoreRows(db, run, chunk);
        // Every stored event is now in the scores: the incremental sync starts from here.
        writeScoreWatermark(db);
      })
      .immediate();

    job.state = { ...job.state, status: "done", done: rows.length, finishedAt: new Date().toISOString() };
    noteFullRecompute((performance.now() - started) / 1000);
    logRecomputed(job.state);
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

/**
 * Starts the recompute when the scores are out of date (a saved version pending, or a new UTC
 * day) and resolves with the job's final state when it ends; null when there was nothing to
 * do, or another server on the same PostgreSQL database is doing it. One job per process at a
 * time. SQLite runs the synchronous-chunk job above (its state is "running" as soon as this
 * returns); PostgreSQL runs applyScoresOnce.
 */
export function startRecompute(db: Db, today = todayDay()): Promise<RecomputeJobState | null> {
  const sqlite = sqliteConnectionOf(db);
  if (sqlite) return startRecomputeSqlite(legacyDatabaseOn(sqlite), today) ?? Promise.resolve(null);
  const job = jobSlot();
  if (job.state.status === "running" && job.promise) return job.promise;
  const promise = runOnDb(db, today, job);
  job.promise = promise;
  void promise.finally(() => {
    if (job.promise === promise) job.promise = null;
  });
  return promise;
}

async function runOnDb(db: Db, today: DayNumber, job: JobSlot): Promise<RecomputeJobState | null> {
  const started = performance.now();
  const before = job.state;
  try {
    const applied = await applyScoresOnce(db, today, (state) => {
      job.state = { ...job.state, ...state };
    });
    if (!applied) {
      job.state = before;
      return null;
    }
    job.state = { ...job.state, status: "done", done: applied.accounts, finishedAt: new Date().toISOString() };
    noteFullRecompute((performance.now() - started) / 1000);
    logRecomputed(job.state);
  } catch (error) {
    log.error("score recompute failed; the previous scores stay in force", { component: "scores", err: error });
    job.state = { ...job.state, status: "failed", finishedAt: new Date().toISOString(), error: error instanceof Error ? error.message : String(error) };
  }
  return { ...job.state };
}

/** Advisory lock key of the recompute job across servers (distinct from score-watermark.ts's and db/commit-horizon.ts's). */
const RECOMPUTE_JOB_LOCK = 7_263_011_942_157_003;

/**
 * Runs `work` while this server holds the fleet-wide recompute claim: a session-level
 * advisory lock on one pooled connection, held for the whole job (released when it ends, or
 * by the server when the process dies, so a crashed job is taken over at the next check).
 * Null, without running `work`, when another server holds it: that server is applying the
 * same pending version, and applying it twice would record its changes twice.
 */
async function withRecomputeClaim<T>(db: PostgresDb, work: () => Promise<T>): Promise<T | null> {
  const client = await db.pool.connect();
  // A connection whose unlock failed goes back to the server closed, never to the pool still
  // holding the claim.
  let broken = false;
  try {
    const claimed = await client.query<{ claimed: boolean }>("SELECT pg_try_advisory_lock($1) AS claimed", [RECOMPUTE_JOB_LOCK]);
    if (!claimed.rows[0]?.claimed) return null;
    try {
      return await work();
    } finally {
      try {
        await client.query("SELECT pg_advisory_unlock($1)", [RECOMPUTE_JOB_LOCK]);
      } catch (error) {
        broken = true;
        log.error("could not release the recompute claim; its connection is closed", { component: "scores", err: error });
      }
    }
  } finally {
    client.release(broken);
  }
}

/** What the scores must be recomputed with now, or null when they are current. */
async function recomputeTarget(db: Db, today: DayNumber): Promise<{ id: number; config: ScoringConfig } | null> {
  const pending = await loadPendingConfigVersion(db);
  if (pending) return pending;
  if (await checkScoresCurrent(db, { today })) return null;
  const { version, ...config } = await loadConfigInForce(db);
  return { id: version, config };
}

/** Accounts written per statement in the final transaction. */
const WRITE_CHUNK = 1000;

/**
 * The recompute on the data layer, run at most once across every server on the database:
 * claims the job (withRecomputeClaim), decides again what to apply (another server may have
 * just applied it), scores every account in chunks outside any transaction, then writes the
 * configuration, the scores and the history in ONE transaction under lockScoreWriters, with
 * the accounts that received events (or were created) meanwhile scored again inside it and
 * the watermark moved to the newest event. Readers on any server see the previous complete
 * scores until it commits, then the new complete ones. Null when nothing was applied here.
 */
export async function applyScoresOnce(
  db: Db,
  today: DayNumber,
  progress: (state: Partial<RecomputeJobState>) => void = () => {},
): Promise<{ versionId: number; accounts: number } | null> {
  if (!isPostgresDb(db)) throw new Error("applyScoresOnce runs on PostgreSQL; SQLite runs the synchronous job (startRecompute)");
  if (!(await recomputeTarget(db, today))) return null;
  return withRecomputeClaim(db, async () => {
    const target = await recomputeTarget(db, today);
    if (!target) return null;
    const total = (await db.value<number>(sql`SELECT count(*) FROM accounts`)) ?? 0;
    progress({ status: "running", versionId: target.id, done: 0, total, startedAt: new Date().toISOString(), finishedAt: null, error: null });
    const run: ScoringRun = {
      asOfDay: today,
      historyDays: HISTORY_DAYS,
      windowDays: target.config.settings.windowDays,
      compareDays: target.config.settings.compareDays,
      thresholds: target.config.settings.thresholds,
      decline: target.config.settings.decline,
      weights: await loadWeightTableFor(db, target.config),
      configVersion: target.id,
    };
    // What is committed now: the rollups read below hold at least this; anything committed
    // later is scored again inside the final transaction.
    const marks: ScoreMark = await currentScoreMark(db);
    const rows: ScoreRow[] = [];
    for await (const chunk of computeScoreRowsOn(db, run)) {
      rows.push(...chunk);
      progress({ done: rows.length });
    }
    const announce = await scoreWriterTransaction(db, async (tx) => {
      await applyConfigVersionOn(tx, target.id, target.config);
      let transitions = false;
      for (let i = 0; i < rows.length; i += WRITE_CHUNK) if (await writeScoreRowsOn(tx, run, rows.slice(i, i + WRITE_CHUNK))) transitions = true;
      const late = await tx.all<Columns<typeof schema.accounts, "id">>(
        sql`SELECT DISTINCT account_id AS id FROM events WHERE ${unseenBy(tx.dialect, "events", followMark(marks, "events"))}
          UNION SELECT id FROM accounts WHERE ${unseenBy(tx.dialect, "accounts", followMark(marks, "accounts"))}`,
      );
      if (late.length > 0) {
        const ids = late.map((r) => r.id).sort((a, b) => a - b);
        // Only accounts that exist (an account may have been erased since its events arrived).
        const existing = await tx.all<Columns<typeof schema.accounts, "id">>(sql`SELECT id FROM accounts WHERE id IN (${idRows(tx.dialect, ids)}) ORDER BY id`);
        for await (const chunk of computeScoreRowsOn(tx, run, existing.map((r) => r.id))) if (await writeScoreRowsOn(tx, run, chunk)) transitions = true;
      }
      await saveScoreWatermark(tx, await currentScoreMark(tx));
      return transitions;
    });
    if (announce) announceScoreTransitions();
    return { versionId: target.id, accounts: rows.length };
  });
}
