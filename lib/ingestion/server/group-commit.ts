import "server-only";
import type { Db } from "@/db/client";
import type { MapResult } from "@/lib/ingestion/segment";
import { noteEventsCommitted } from "@/lib/operations/server/metrics";
import { afterIngestCommit, ingestionsInFlight } from "./score-scheduler";
import { ingestGroup, type GroupJob, type IngestOptions, type IngestResult } from "./writer";

/**
 * Group commit (docs/adr/0005-ingestion-writes-and-score-maintenance.md): batches of requests that overlap are
 * written in ONE transaction, each in its own savepoint, and every request is answered once
 * that transaction has committed. With random message ids and accounts, the cost of a
 * commit is dominated by the B-tree pages it dirties; batches committed together share
 * those pages, so ten concurrent senders cost far less than ten separate commits.
 *
 * A group is written as soon as every request under way has its batch queued (a lone
 * sender is never kept waiting), when MAX_WAIT_MS passed since the first batch queued, or
 * when MAX_GROUP_EVENTS are queued.
 */
const MAX_WAIT_MS = 5;
const MAX_GROUP_EVENTS = 10_000;

interface QueuedJob extends GroupJob {
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

interface QueueState {
  jobs: QueuedJob[];
  events: number;
  timer: NodeJS.Timeout | null;
  immediate: NodeJS.Immediate | null;
}

const queues = new WeakMap<Db, QueueState>();

function queueOf(db: Db): QueueState {
  let state = queues.get(db);
  if (!state) {
    state = { jobs: [], events: 0, timer: null, immediate: null };
    queues.set(db, state);
  }
  return state;
}

async function flush(db: Db): Promise<void> {
  const state = queueOf(db);
  if (state.timer) clearTimeout(state.timer);
  if (state.immediate) clearImmediate(state.immediate);
  state.timer = null;
  state.immediate = null;
  const jobs = state.jobs;
  state.jobs = [];
  state.events = 0;
  if (jobs.length === 0) return;
  let outcomes;
  try {
    outcomes = await ingestGroup(db, jobs);
  } catch (error) {
    for (const job of jobs) job.reject(error);
    return;
  }
  let oldest = Infinity;
  for (const job of jobs) oldest = Math.min(oldest, job.options.receivedAt);
  noteEventsCommitted(oldest);
  try {
    // A lone request's scores are brought up to date before it is answered.
    await afterIngestCommit(db, jobs.length);
  } finally {
    outcomes.forEach((outcome, i) => {
      const job = jobs[i];
      if (!job) return;
      if (outcome.ok) job.resolve(outcome.result);
      else job.reject(outcome.error);
    });
  }
}

/**
 * Stores one request's items as part of the next group commit; resolves once committed.
 * The caller must count as an ingestion under way (beginIngestion) until it has answered.
 */
export function ingestInGroup(db: Db, items: readonly MapResult[], options: IngestOptions): Promise<IngestResult> {
  const state = queueOf(db);
  return new Promise<IngestResult>((resolve, reject) => {
    state.jobs.push({ items, options, resolve, reject });
    state.events += items.length;
    if (state.events >= MAX_GROUP_EVENTS) {
      void flush(db);
    } else if (state.jobs.length >= ingestionsInFlight(db)) {
      // Everyone under way is queued: write now (after handlers finishing this turn have joined).
      state.immediate ??= setImmediate(() => void flush(db));
    } else {
      state.timer ??= setTimeout(() => void flush(db), MAX_WAIT_MS);
    }
  });
}
