import "server-only";
import { hostname } from "node:os";
import type { Db } from "@/db/client";
import { onScoreTransitions } from "@/lib/scoring/server/score-transition-signal";
import { WorkBudget } from "../budget";
import { randomId } from "./common";
import { Dispatcher, type DispatcherOptions } from "./dispatcher";
import { evaluateTransitions, latestTransitionId, transitionsWaiting, type EvaluationSummary } from "./evaluator";
import { runDailyJobs } from "./schedule";
import { yieldToEventLoop } from "@/lib/event-loop";

/**
 * The alert worker every app server runs (and scripts/alerts-worker.ts alone). It evaluates
 * score transitions as soon as a score writer of this process records them (a signal after the
 * write commits; every second otherwise, for writers in other processes), delivers the outbox
 * as soon as an evaluation or a daily job queued messages (every second otherwise: retries,
 * other processes' messages), and runs the daily jobs every minute. Loops reschedule themselves
 * after each run, so runs never overlap; an error is logged and the next run tries again.
 * Several servers may run it: claims, leases and unique keys keep every message delivered and
 * none duplicated under another id.
 *
 * Everything runs within a share of the event loop (ALERTS_WORK_SHARE), in two lanes. The
 * background lane — the daily jobs (digests, time-based rules, scores.changed: work that grows
 * with the number of accounts) and the backlog of transitions, oldest first — rests after every
 * piece. The prompt lane — the transitions recorded since the worker last looked, newest first,
 * and the deliveries' claims and attempt records — may use a burst of 250 ms back to back after
 * a quiet spell: evaluating a fresh change and sending a few requests take milliseconds and are
 * what the ≤ 5 s promise is made of. A backlog (the day's rollover, a restart, a flood of
 * alerts) is worked off in the background lane, so it never stands in front of a fresh change;
 * what a fresh pass leaves over joins the backlog.
 */
export interface AlertWorkerOptions {
  /** The poll for transitions other processes recorded (default 1 s; this process's own wake the worker at once). */
  evaluateEveryMs?: number;
  dispatchEveryMs?: number;
  dailyEveryMs?: number;
  dispatcher?: Omit<DispatcherOptions, "owner" | "throttle">;
  /**
   * The share of the event loop the worker may use (default 0.05, or ALERTS_WORK_SHARE):
   * building 200 digests over 50,000 accounts, or a flood of alerts, never holds up ingestion
   * on the same server. Alert work gets a burst allowance on top, so a few alerts never wait.
   */
  workShare?: number;
  /** Called after every step (tests and the benchmark watch progress). */
  log?: (line: string) => void;
}

export interface AlertWorker {
  readonly owner: string;
  /** Delivers now instead of at the next tick. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Alerts fired per evaluation transaction, and the time after which a transaction fires no more
 * (an alert reads its account's recent rollups: a few ms warm, a hundred cold): short
 * transactions let ingestion in between, and a piece of work stays short, so what it books in
 * the work share never holds the next piece back for long. Transitions no enabled rule fires on
 * are read and dropped in bulk beside them (evaluator.ts).
 */
const EVALUATION_BATCH = 25;
const EVALUATION_WORK_MS = 50;

/** Alert work (evaluation, claims, attempt records) that may run back to back after a quiet spell. */
const ALERT_BURST_MS = 250;


function workShareFromEnv(): number {
  const value = Number(process.env.ALERTS_WORK_SHARE ?? "0.05");
  if (!(value > 0 && value <= 1)) throw new Error(`ALERTS_WORK_SHARE must be a number in (0, 1], not ${process.env.ALERTS_WORK_SHARE}`);
  return value;
}

export function startAlertWorker(db: Db, options: AlertWorkerOptions = {}): AlertWorker {
  const owner = `${hostname()}:${process.pid}:${randomId("w").slice(2, 10)}`;
  const share = options.workShare ?? workShareFromEnv();
  // The background lane (daily jobs, the backlog of transitions): each piece followed by its rest.
  const budget = new WorkBudget(share);
  // The prompt lane (fresh transitions, claims, attempt records): a few alerts' work runs at once
  // (the ≤ 5 s promise); a flood of them is worked off at the share, so ingestion keeps the server.
  const alertBudget = new WorkBudget(share, ALERT_BURST_MS);
  // A piece books the time it held the connection, not the time it queued for it behind
  // ingestion's writes or the other lane's piece: on SQLite that is its use of the event loop.
  const metered = <T>(lane: WorkBudget, work: (db: Db) => Promise<T>): Promise<T> =>
    lane
      .run(
        () =>
          db.transaction(async (tx) => {
            const started = performance.now();
            const value = await work(tx);
            return { value, usedMs: performance.now() - started };
          }),
        (r) => r.usedMs,
      )
      .then((r) => r.value);
  const throttle = <T>(work: (db: Db) => Promise<T>) => metered(alertBudget, work);
  const dispatcher = new Dispatcher(db, { owner, ...options.dispatcher, throttle });
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  /** A loop that runs `step` every `everyMs` after the last run ended; the returned function runs it now (or right after the run under way). */
  const loop = (name: string, everyMs: number, step: () => Promise<void>): (() => void) => {
    let active = false;
    let rerun = false;
    let timer: NodeJS.Timeout | null = null;
    const run = () => {
      if (stopped) return;
      if (active) {
        rerun = true;
        return;
      }
      if (timer) {
        clearTimeout(timer);
        timers.delete(timer);
        timer = null;
      }
      active = true;
      const done = step()
        .catch((error: unknown) => console.error(`[alerts] ${name} failed; retrying in ${everyMs} ms`, error))
        .finally(() => {
          running.delete(done);
          active = false;
          if (rerun) {
            rerun = false;
            run();
          } else schedule();
        });
      running.add(done);
    };
    const schedule = () => {
      if (stopped) return;
      const next = setTimeout(() => {
        timers.delete(next);
        timer = null;
        run();
      }, everyMs);
      next.unref();
      timers.add(next);
      timer = next;
    };
    run();
    return run;
  };

  const deliver = async () => {
    await dispatcher.tick();
  };

  const fired = (summary: EvaluationSummary) => {
    if (summary.alerts === 0) return;
    options.log?.(`evaluated ${summary.transitions} transitions: ${summary.alerts} alerts`);
    void deliver().catch((error: unknown) => console.error("[alerts] delivering the outbox failed", error));
  };
  // The prompt lane: what was recorded since the last look, newest first, in one pass; what
  // it leaves (a flood) is backlog. Transitions recorded before the worker started are backlog.
  let seen: number | null = null;
  const evaluateBacklog = loop("evaluating the backlog of score transitions", options.evaluateEveryMs ?? 1000, async () => {
    if (!(await transitionsWaiting(db))) return;
    for (;;) {
      const summary = await metered(budget, (tx) => evaluateTransitions(tx, { batch: EVALUATION_BATCH, workMs: EVALUATION_WORK_MS }));
      fired(summary);
      if (!summary.more || stopped) break;
      await yieldToEventLoop();
    }
  });
  const evaluate = loop("evaluating score transitions", options.evaluateEveryMs ?? 1000, async () => {
    seen ??= await latestTransitionId(db);
    const after = seen;
    const summary = await throttle((tx) => evaluateTransitions(tx, { batch: EVALUATION_BATCH, workMs: EVALUATION_WORK_MS, newestFirst: true, afterId: after }));
    if (summary.lastReadId !== null) seen = Math.max(after, summary.lastReadId);
    fired(summary);
    // Left over, or nothing new found though a write announced some (recorded just before the
    // worker's first look, or handled elsewhere): the backlog lane looks now, not at its poll.
    if (summary.more || summary.transitions === 0) evaluateBacklog();
  });
  const stopListening = onScoreTransitions(evaluate);
  loop("delivering the outbox", options.dispatchEveryMs ?? 1000, deliver);
  loop("running the daily jobs", options.dailyEveryMs ?? 60_000, async () => {
    const run = await budget.run(() => runDailyJobs(db, { owner }));
    if (run.rules.alerts > 0 || run.digests?.queued || run.scoresChanged?.parts) {
      options.log?.(`daily jobs: ${run.rules.alerts} rule alerts, ${run.digests?.queued ?? 0} digests, ${run.scoresChanged?.parts ?? 0} scores.changed parts`);
      await deliver();
    }
  });

  return {
    owner,
    wake: () => void deliver().catch((error: unknown) => console.error("[alerts] delivering the outbox failed", error)),
    stop: async () => {
      stopped = true;
      stopListening();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (running.size > 0) await Promise.all([...running]);
      await dispatcher.drain();
    },
  };
}
