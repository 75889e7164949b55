import "server-only";
import { log } from "@/lib/log";
import type { Database } from "@/db";
import type { Db } from "@/db/client";
import { ingestionKey, noteIngestion } from "./activity";
import { isDatabaseBusy } from "@/db/errors";
import { noteScoresSynced } from "@/lib/operations/server/metrics";
import { syncScores } from "@/lib/scoring/server/score-sync";
import { isShuttingDown } from "@/lib/operations/server/shutting-down";

/**
 * When ingested events reach the scores (docs/adr/0005-ingestion-writes-and-score-maintenance.md,
 * docs/adr/0008-performance-at-scale.md):
 * - a lone request (committed alone, while no other ingestion request is under way) brings
 *   the scores up to date itself, before its 2xx: a lone sender (and every test) reads
 *   current scores as soon as its call returns;
 * - while requests overlap, the sync is coalesced (syncDelayMs): one covers every batch
 *   committed since the last, including those of the group that ends a burst. A group of
 *   concurrent requests never syncs inline: under sustained load from several senders every
 *   group would otherwise pay for a sync of its own few thousand events.
 * Each sync rewrites the pages of account_scores its accounts sit on (under traffic from many
 * accounts, nearly all of them) whatever the number of events, so fewer, larger syncs cost
 * less per event; the delay is the longest that still brings every event into the scores
 * within a second.
 */
/** An event waits at most the delay plus the next sync (taken to last twice the last one): kept under this. */
const MAX_LAG_MS = 900;
const MIN_DELAY_MS = 250;
const MAX_DELAY_MS = 750;

/** How long the next coalesced sync waits after a commit, given how long the last sync took. */
export function syncDelayMs(lastSyncMs: number): number {
  return Math.round(Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, MAX_LAG_MS - 2 * lastSyncMs)));
}

interface SchedulerState {
  inFlight: number;
  timer: NodeJS.Timeout | null;
  /** How long the last sync took (the next delay leaves room for one as long). */
  lastSyncMs: number;
}

/**
 * On globalThis, like the ingestion activity: Next bundles instrumentation (whose shutdown asks
 * how many ingestions are in flight) and the route handlers (which count them) separately,
 * and each bundle would otherwise count in a map of its own: shutdown then saw none in flight
 * and flushed the scores before the last batches committed.
 */
const slot = globalThis as unknown as { cesIngestionSchedulers?: WeakMap<object, SchedulerState> };
const states = (slot.cesIngestionSchedulers ??= new WeakMap<object, SchedulerState>());

/** Kept by ingestionKey: the legacy handle of a SQLite file (shutdown asks through it) sees the same state. */
function stateOf(db: Db | Database): SchedulerState {
  const key = ingestionKey(db);
  let state = states.get(key);
  if (!state) {
    state = { inFlight: 0, timer: null, lastSyncMs: 0 };
    states.set(key, state);
  }
  return state;
}

/** Counts an ingestion request as under way; call the returned function when it ends. */
export function beginIngestion(db: Db | Database): () => void {
  const state = stateOf(db);
  state.inFlight++;
  noteIngestion(db);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    state.inFlight--;
  };
}

async function runSync(db: Db): Promise<void> {
  const state = stateOf(db);
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  const started = performance.now();
  try {
    await syncScores(db);
    state.lastSyncMs = performance.now() - started;
    noteScoresSynced(state.lastSyncMs / 1000);
  } catch (error) {
    // The events are stored; only the scores lag. Try again shortly, and say so loudly.
    if (!isDatabaseBusy(error)) log.error("could not bring scores up to date after ingestion; retrying", { component: "ingest", err: error });
    schedule(db);
  }
}

function schedule(db: Db): void {
  const state = stateOf(db);
  if (state.timer) return;
  state.timer = setTimeout(() => {
    state.timer = null;
    void runSync(db);
  }, syncDelayMs(state.lastSyncMs));
  state.timer.unref();
}

/** How many ingestion requests are under way (reading their body, queued or being stored). */
export function ingestionsInFlight(db: Db | Database): number {
  return stateOf(db).inFlight;
}

/**
 * Call after `committed` requests' batches committed, while those requests still count as
 * under way; resolves once a lone request's scores are up to date (answer it after that).
 * While the server shuts down every batch's scores are brought up to date before its answer:
 * a coalesced sync waits on a timer the exit would cancel (on PostgreSQL the exit cannot wait
 * for one either), so an acknowledged batch would otherwise reach the scores only at the next
 * start.
 */
export async function afterIngestCommit(db: Db, committed = 1): Promise<void> {
  if (isShuttingDown() || (committed === 1 && stateOf(db).inFlight <= 1)) await runSync(db);
  else schedule(db);
}
