import "server-only";
import { hostname } from "node:os";
import type { Db } from "@/db/client";
import { WorkBudget } from "../budget";
import { randomId } from "./common";
import { Dispatcher, type DispatcherOptions } from "./dispatcher";
import { evaluateTransitions, transitionsWaiting } from "./evaluator";
import { runDailyJobs } from "./schedule";

/**
 * The alert worker every app server runs (and scripts/alerts-worker.ts alone): evaluates score
 * transitions every half second, delivers the outbox every second (at once after new alerts),
 * and runs the daily jobs every minute. Loops reschedule themselves after each run, so runs
 * never overlap; an error is logged and the next run tries again. Several servers may run it:
 * claims, leases and unique keys keep every message delivered and none duplicated under
 * another id.
 */
export interface AlertWorkerOptions {
  evaluateEveryMs?: number;
  dispatchEveryMs?: number;
  dailyEveryMs?: number;
  dispatcher?: Omit<DispatcherOptions, "owner" | "throttle">;
  /**
   * The share of the event loop the worker's database work may use (default 0.05, or
   * ALERTS_WORK_SHARE): ingestion on the same server keeps the rest, and a flood of alerts is
   * worked off steadily rather than all at once.
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

/** Transitions per evaluation transaction: short transactions let ingestion in between. */
const EVALUATION_BATCH = 100;

function workShareFromEnv(): number {
  const value = Number(process.env.ALERTS_WORK_SHARE ?? "0.05");
  if (!(value > 0 && value <= 1)) throw new Error(`ALERTS_WORK_SHARE must be a number in (0, 1], not ${process.env.ALERTS_WORK_SHARE}`);
  return value;
}

export function startAlertWorker(db: Db, options: AlertWorkerOptions = {}): AlertWorker {
  const owner = `${hostname()}:${process.pid}:${randomId("w").slice(2, 10)}`;
  const budget = new WorkBudget(options.workShare ?? workShareFromEnv());
  const throttle = <T>(work: () => Promise<T>) => budget.run(work);
  const dispatcher = new Dispatcher(db, { owner, ...options.dispatcher, throttle });
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const loop = (name: string, everyMs: number, step: () => Promise<void>) => {
    const run = () => {
      if (stopped) return;
      const done = step()
        .catch((error: unknown) => console.error(`[alerts] ${name} failed; retrying in ${everyMs} ms`, error))
        .finally(() => {
          running.delete(done);
          schedule();
        });
      running.add(done);
    };
    const schedule = () => {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, everyMs);
      timer.unref();
      timers.add(timer);
    };
    run();
  };

  const deliver = async () => {
    await dispatcher.tick();
  };

  loop("evaluating score transitions", options.evaluateEveryMs ?? 500, async () => {
    if (!(await transitionsWaiting(db))) return;
    for (;;) {
      const summary = await throttle(() => evaluateTransitions(db, { batch: EVALUATION_BATCH }));
      if (summary.alerts > 0) {
        options.log?.(`evaluated ${summary.transitions} transitions: ${summary.alerts} alerts`);
        await deliver();
      }
      if (!summary.more || stopped) break;
    }
  });
  loop("delivering the outbox", options.dispatchEveryMs ?? 1000, deliver);
  loop("running the daily jobs", options.dailyEveryMs ?? 60_000, async () => {
    const run = await throttle(() => runDailyJobs(db, { owner }));
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
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (running.size > 0) await Promise.all([...running]);
      await dispatcher.drain();
    },
  };
}
