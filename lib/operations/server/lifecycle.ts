import "server-only";
import diagnostics from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { getDatabase, getDb, usesSqlite, type Database } from "@/db";
import type { Db } from "@/db/client";
import { log } from "@/lib/log";
import { ingestionsInFlight } from "@/lib/ingestion/server/score-scheduler";
import { syncScores, syncScoresSqlite } from "@/lib/scoring/server/score-sync";
import { SCHEDULED_JOBS, noteScoresSynced, observeHttpRequest } from "./metrics";
import { RETENTION_JOB } from "./retention";
import { startRetentionJob } from "./retention-job";
import { isShuttingDown, markShuttingDown } from "./shutting-down";

/**
 * The server's life outside requests (docs/adr/0017-operating-the-product.md): request
 * metrics for every HTTP request, the scheduled jobs, and a graceful shutdown.
 *
 * Shutdown. `next start` already answers SIGTERM by closing the listening socket, waiting for
 * the requests in flight and exiting. What this adds: from the signal on, ingestion refuses
 * new batches with 503 + Retry-After (on kept-alive connections; nothing acknowledged is
 * refused) and readiness fails, so a load balancer stops sending; once the ingestion requests
 * in flight have committed and been answered, the pending score work is flushed (the
 * coalesced score sync) before the process may exit, kept-alive connections are closed as they
 * fall idle (so Next's wait for them ends), and the database is closed at exit (SQLite
 * checkpoints its log).
 * If requests are still in flight after SHUTDOWN_TIMEOUT_MS (default 20 s), the process
 * flushes what it has and exits anyway (exit code 1): a batch not answered by then was not
 * acknowledged, and its sender retries it (duplicates are recognised by messageId).
 */
const state = globalThis as unknown as { cesShutdownFlush?: Promise<void>; cesOperationsInstalled?: boolean };


function shutdownTimeoutMs(): number {
  const value = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 20_000);
  return Number.isFinite(value) && value > 0 ? value : 20_000;
}

/**
 * Applies the pending score work. On SQLite the sync runs synchronously before this returns
 * its promise, so it is done even when called from the exit handler. On PostgreSQL the
 * watermark lives in the database: work this flush does not finish is done by the next sync
 * of any server (or of this one at its next start), never lost.
 */
async function flushScores(): Promise<void> {
  const started = performance.now();
  try {
    if (usesSqlite()) syncScoresSqlite(getDatabase());
    else await syncScores(await getDb());
    noteScoresSynced((performance.now() - started) / 1000);
    log.info("shutdown: pending score work flushed", { component: "lifecycle" });
  } catch (error) {
    log.error("shutdown: could not flush pending score work; it is done at the next start", { component: "lifecycle", err: error });
  }
}

/**
 * Once ingestion has drained: flushes the pending score work, once; every caller gets the same
 * promise. Called by the drain poll, or by Next's exit (see holdExitUntilFlushed) when Next's
 * own SIGTERM handler exits first (it exits as soon as every request is answered, which can be
 * before the next poll); on SQLite the flush runs synchronously, so it is done even when the
 * exit handler is the caller.
 */
function finishShutdown(started: number): Promise<void> {
  if (!isShuttingDown()) return Promise.resolve();
  state.cesShutdownFlush ??= flushScores().then(() => {
    log.info("shutdown: ingestion drained", { component: "lifecycle", millis: Date.now() - started });
  });
  return state.cesShutdownFlush;
}

/**
 * Next's SIGTERM handler calls process.exit once every request is answered. On PostgreSQL the
 * flush is asynchronous (it talks to the database), and an exit in the middle of it would end
 * the process with acknowledged events not yet in the scores (they would wait for the next
 * sync of some server). So from the signal on, an exit first finishes the flush; the deadline
 * still ends the process at the bound, with the real exit.
 */
function holdExitUntilFlushed(started: number, realExit: (code?: number) => never): void {
  const heldExit = (code?: number | string | null): never => {
    void finishShutdown(started).finally(() => realExit(typeof code === "number" ? code : undefined));
    // Next's handler has nothing after its exit; the process ends when the flush settles.
    return undefined as never;
  };
  process.exit = heldExit;
}

function closeDatabase(): void {
  if (!usesSqlite()) return;
  try {
    const database = getDatabase();
    if (database.sqlite.open) database.sqlite.close();
  } catch (error) {
    log.error("shutdown: could not close the database", { component: "lifecycle", err: error });
  }
}

let shutdownStartedAt = 0;

function beginShutdown(signal: NodeJS.Signals): void {
  if (isShuttingDown()) return;
  markShuttingDown();
  const started = Date.now();
  shutdownStartedAt = started;
  const timeout = shutdownTimeoutMs();
  const realExit = process.exit.bind(process);
  holdExitUntilFlushed(started, realExit);
  closeIdleConnectionsUntilExit();
  log.info("shutting down: refusing new ingestion, finishing the batches in flight", { component: "lifecycle", signal, timeoutMs: timeout });
  // The requests in flight are counted on the handle the handlers use: on PostgreSQL the data
  // layer's (resolved at once: getDb() hands back the process's one handle).
  let handle: Db | Database | null = usesSqlite() ? getDatabase() : null;
  if (!handle) {
    getDb().then(
      (db) => (handle = db),
      (error: unknown) => log.error("shutdown: could not reach the database to count the ingestion in flight", { component: "lifecycle", err: error }),
    );
  }
  // Until the handle is known, count one: flushing before the batches in flight commit would leave them out.
  const inFlight = () => (handle ? ingestionsInFlight(handle) : 1);
  // Next's own handler (when present) exits once every request is answered; this one exits
  // itself when it is the only handler, or when the bound passes.
  const nextHandlesExit = process.listenerCount(signal) > 1;
  const deadline = setTimeout(() => {
    log.error("shutdown took longer than the bound; exiting with requests still in flight", {
      component: "lifecycle",
      timeoutMs: timeout,
      ingestionsInFlight: inFlight(),
    });
    // SQLite flushes synchronously here (unless a flush already ran); on PostgreSQL the bound
    // has passed: the next sync of any server takes the pending events (see flushScores).
    void finishShutdown(started);
    realExit(1);
  }, timeout);
  const poll = setInterval(() => {
    if (inFlight() > 0) return;
    clearInterval(poll);
    void finishShutdown(started).then(() => {
      if (!nextHandlesExit) {
        clearTimeout(deadline);
        realExit(0);
      }
    });
  }, 5);
  deadline.unref();
}

/** The HTTP servers of this process (Next's), as their requests reveal them. */
const httpServers = new Set<Server>();

/**
 * Next's handler closes the listening socket, then waits for every connection to end; a
 * kept-alive connection that was busy at the signal stays open, idle, until the keep-alive
 * timeout (65 s: scripts/lib/next-start.ts), far past the shutdown bound. Node's close()
 * closes only the connections idle at that moment, so during a shutdown the idle ones are
 * closed as they become idle. A client that was about to reuse one gets a closed connection and
 * retries elsewhere: nothing it sent on it was acknowledged.
 */
function closeIdleConnectionsUntilExit(): void {
  setInterval(() => {
    for (const server of httpServers) server.closeIdleConnections();
  }, 50).unref();
}

/** Request latency per route group, for every request the HTTP server answers. */
function installHttpMetrics(): void {
  const started = new WeakMap<IncomingMessage, number>();
  diagnostics.subscribe("http.server.request.start", (message) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    httpServers.add(server);
    started.set(request, performance.now());
  });
  diagnostics.subscribe("http.server.response.finish", (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const at = started.get(request);
    if (at === undefined) return;
    observeHttpRequest(request.url ?? "/", response.statusCode, (performance.now() - at) / 1000);
  });
}

/** The hourly run; startRetentionJob logs what it deleted, or why it failed. */
async function runRetention(): Promise<void> {
  try {
    const start = await startRetentionJob(await getDb());
    if (start.started) await start.finished;
  } catch (error) {
    log.error("retention: the scheduled run failed; the next run tries again", { component: "retention", err: error });
  }
}

/** Installs everything once per process (register() in instrumentation.ts). */
export function installOperations(): void {
  if (state.cesOperationsInstalled) return;
  state.cesOperationsInstalled = true;
  installHttpMetrics();
  process.on("SIGTERM", beginShutdown);
  process.on("SIGINT", beginShutdown);
  process.on("exit", () => {
    void finishShutdown(shutdownStartedAt);
    closeDatabase();
  });
  const every = SCHEDULED_JOBS[RETENTION_JOB] ?? 3_600_000;
  // The first run a minute after start (not in the start-up rush), then every hour.
  setTimeout(() => void runRetention(), 60_000).unref();
  setInterval(() => void runRetention(), every).unref();
}
