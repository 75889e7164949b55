import "server-only";
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { Db } from "@/db/client";
import { isPostgresDb } from "@/db/postgres-client";
import { sqliteConnectionOf } from "@/db/sqlite-client";
import { log } from "@/lib/log";
import { HttpError } from "@/lib/http/server/http";
import { runAnalysis, type AnalysisJob } from "./jobs";
import type { JobReply, JobRequest, WorkerDatabase } from "./worker";

/**
 * Bounded concurrency for the analyses: a small pool of worker threads (one per core beyond
 * the first, at most four) with a bounded queue. A job waits for a free worker; when too
 * many distinct jobs wait already, the request is answered 503 "busy, try again" instead of
 * queueing work without end. Where workers cannot run (the unit tests run the TypeScript
 * sources directly; an in-memory database; a transaction's handle) jobs run one at a time on
 * the calling thread.
 */
export const MAX_QUEUED_JOBS = 16;
const WORKERS = Math.max(1, Math.min(4, os.availableParallelism() - 1));

interface Pending {
  request: JobRequest;
  /** The handle the job was asked on: it runs on it when workers cannot start. */
  db: Db;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
  /** Whether it ever answered: a worker that fails before that cannot start at all here. */
  answered: boolean;
}

export function busyError(): HttpError {
  return new HttpError(503, "busy", "The server is busy with other analyses; try again in a few seconds.", undefined, { "Retry-After": "5" });
}


class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private inlineTail: Promise<unknown> = Promise.resolve();
  /** Set when a worker cannot start (the sources run directly); jobs then run inline. */
  private workersUnavailable = Boolean(process.env.VITEST);

  run(db: Db, job: AnalysisJob): Promise<unknown> {
    if (this.queue.length >= MAX_QUEUED_JOBS) return Promise.reject(busyError());
    const database = workerDatabaseOf(db);
    if (this.workersUnavailable || !database) return this.runInline(db, job);
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, database, job }, db, resolve, reject });
      this.dispatch();
    });
  }

  private settleInline(pending: Pending): void {
    this.runInline(pending.db, pending.request.job).then(pending.resolve, pending.reject);
  }

  private runInline(db: Db, job: AnalysisJob): Promise<unknown> {
    const result = this.inlineTail.then(() => runAnalysis(db, job));
    this.inlineTail = result.catch(() => undefined);
    return result;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === null);
      if (!slot && this.slots.length < WORKERS) slot = this.startWorker();
      if (!slot) return;
      const pending = this.queue.shift();
      if (!pending) return;
      slot.busy = pending;
      slot.worker.postMessage(pending.request);
    }
  }

  private startWorker(): Slot {
    const worker = new Worker(new URL("./worker.ts", import.meta.url));
    worker.unref();
    const slot: Slot = { worker, busy: null, answered: false };
    worker.on("message", (reply: JobReply) => {
      const pending = slot.busy;
      slot.busy = null;
      slot.answered = true;
      if (pending && pending.request.id === reply.id) {
        if (reply.ok) pending.resolve(reply.value);
        else pending.reject(new Error(`Analysis ${pending.request.job.kind} failed in its worker: ${reply.error}`));
      }
      this.dispatch();
    });
    const fail = (error: unknown) => {
      const index = this.slots.indexOf(slot);
      if (index === -1) return;
      this.slots.splice(index, 1);
      const pending = slot.busy;
      slot.busy = null;
      if (!slot.answered && this.slots.length === 0) {
        // The worker could not even start: run everything on this thread from now on.
        log.error("analysis: workers cannot start here; analyses run on the request thread", { component: "analysis", err: error });
        this.workersUnavailable = true;
        for (const job of [...(pending ? [pending] : []), ...this.queue.splice(0)]) this.settleInline(job);
        return;
      }
      pending?.reject(error);
      this.dispatch();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`An analysis worker stopped (exit code ${code}).`)));
    this.slots.push(slot);
    log.info("analysis: started a worker", { component: "analysis", workers: this.slots.length, maxWorkers: WORKERS });
    return slot;
  }
}

/** Where a worker finds the handle's database; null when it cannot open it itself. */
function workerDatabaseOf(db: Db): WorkerDatabase | null {
  const sqlite = sqliteConnectionOf(db);
  if (sqlite) return sqlite.name === ":memory:" || sqlite.name === "" ? null : { kind: "sqlite", file: sqlite.name };
  return isPostgresDb(db) ? { kind: "postgres", url: db.url } : null;
}

const globalForPool = globalThis as unknown as { cesAnalysisPool?: AnalysisPool };

/** Runs an analysis job in a worker (or inline where workers cannot run); 503 HttpError when too many wait. */
export function runAnalysisJob(db: Db, job: AnalysisJob): Promise<unknown> {
  globalForPool.cesAnalysisPool ??= new AnalysisPool();
  return globalForPool.cesAnalysisPool.run(db, job);
}
