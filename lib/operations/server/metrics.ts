import "server-only";
import fs from "node:fs";
import { sql } from "drizzle-orm";
import client from "prom-client";
import type { Db } from "@/db/client";
import { sqliteConnectionOf } from "@/db/sqlite-client";
import { routeGroupOf } from "@/lib/operations/route-groups";
import { recomputeJobState } from "@/lib/scoring/server/recompute-job";
import { listJobRuns } from "./jobs";

/**
 * The Prometheus metrics of GET /metrics (prom-client). Counters and histograms are updated
 * where things happen (ingestion, score sync, recompute, every HTTP request); gauges that
 * describe the database are read when scraped. One registry per process, kept on globalThis
 * so every bundle of the server shares it.
 */
export const SCHEDULED_JOBS: Record<string, number> = { retention: 60 * 60 * 1000 };
const startedAt = Date.now();

function build() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "ces_process_" });
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    ingestEvents: new client.Counter({
      name: "ces_ingest_events_total",
      help: "Events (and other ingested items) by outcome: accepted, duplicate (already stored), rejected (invalid).",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    ingestRequests: new client.Histogram({
      name: "ces_ingest_request_duration_seconds",
      help: "Ingestion requests from arrival to answer (body read, validated, committed), by endpoint and status.",
      labelNames: ["endpoint", "status"] as const,
      buckets: seconds,
      registers: [registry],
    }),
    eventsPerSecond: new client.Gauge({ name: "ces_ingest_events_per_second", help: "Events accepted per second over the last minute.", registers: [registry] }),
    scoreFreshness: new client.Histogram({
      name: "ces_score_freshness_seconds",
      help: "Time from an event's arrival to its score being current (per score sync, for the oldest event it took in).",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900],
      registers: [registry],
    }),
    scoreLag: new client.Gauge({ name: "ces_score_lag_seconds", help: "Age of the oldest acknowledged event not yet in the scores (0 when current).", registers: [registry] }),
    recompute: new client.Histogram({
      name: "ces_recompute_duration_seconds",
      help: "Score maintenance runs: kind=sync (incremental, after ingestion) or full (all accounts, a new day or configuration).",
      labelNames: ["kind"] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120],
      registers: [registry],
    }),
    recomputeRunning: new client.Gauge({ name: "ces_recompute_running_seconds", help: "How long the running full recompute has run (0 when none runs).", registers: [registry] }),
    http: new client.Histogram({
      name: "ces_http_request_duration_seconds",
      help: "HTTP requests from arrival to the end of the answer, by route group and status class.",
      labelNames: ["group", "status"] as const,
      buckets: seconds,
      registers: [registry],
    }),
    databaseBytes: new client.Gauge({ name: "ces_database_size_bytes", help: "Size of the database (SQLite: file and write-ahead log; PostgreSQL: pg_database_size).", registers: [registry] }),
    pendingEvents: new client.Gauge({ name: "ces_pending_events", help: "Accepted events waiting for their user to be linked to an account.", registers: [registry] }),
    jobLag: new client.Gauge({
      name: "ces_job_lag_seconds",
      help: "How late each scheduled job is: seconds past the time its next run was due (0 when on time).",
      labelNames: ["job"] as const,
      registers: [registry],
    }),
    jobLastSuccess: new client.Gauge({ name: "ces_job_last_success_timestamp_seconds", help: "When each scheduled job last finished well.", labelNames: ["job"] as const, registers: [registry] }),
    state: { oldestUnsynced: null as number | null, perSecond: new Map<number, number>() },
  };
}

type Metrics = ReturnType<typeof build>;
const slot = globalThis as unknown as { cesMetrics?: Metrics };

export function metrics(): Metrics {
  slot.cesMetrics ??= build();
  return slot.cesMetrics;
}

/** One ingestion request answered. */
export function recordIngestRequest(endpoint: "segment" | "native", status: number, seconds: number): void {
  metrics().ingestRequests.observe({ endpoint, status: String(status) }, seconds);
}

/** What one committed ingestion request stored. */
export function recordIngestCounts(counts: { accepted: number; duplicates: number; rejected: number }): void {
  const m = metrics();
  if (counts.accepted) m.ingestEvents.inc({ outcome: "accepted" }, counts.accepted);
  if (counts.duplicates) m.ingestEvents.inc({ outcome: "duplicate" }, counts.duplicates);
  if (counts.rejected) m.ingestEvents.inc({ outcome: "rejected" }, counts.rejected);
  const second = Math.floor(Date.now() / 1000);
  m.state.perSecond.set(second, (m.state.perSecond.get(second) ?? 0) + counts.accepted);
  if (m.state.perSecond.size > 120) for (const s of m.state.perSecond.keys()) if (s < second - 60) m.state.perSecond.delete(s);
}

/** Events that arrived at `receivedAt` (the oldest of a group) are committed, not yet in the scores. */
export function noteEventsCommitted(receivedAt: number): void {
  const state = metrics().state;
  if (state.oldestUnsynced === null || receivedAt < state.oldestUnsynced) state.oldestUnsynced = receivedAt;
}

/** A score sync finished: every committed event is in the scores. */
export function noteScoresSynced(seconds: number): void {
  const m = metrics();
  m.recompute.observe({ kind: "sync" }, seconds);
  if (m.state.oldestUnsynced !== null) m.scoreFreshness.observe(Math.max(0, (Date.now() - m.state.oldestUnsynced) / 1000));
  m.state.oldestUnsynced = null;
}

export function noteFullRecompute(seconds: number): void {
  metrics().recompute.observe({ kind: "full" }, seconds);
}

export function observeHttpRequest(url: string, status: number, seconds: number): void {
  metrics().http.observe({ group: routeGroupOf(url), status: `${Math.floor(status / 100)}xx` }, seconds);
}

async function databaseSize(db: Db): Promise<number> {
  // By dialect and brand, not instanceof: Next.js may load the client modules once per bundle.
  if (db.dialect === "postgres") return (await db.value<number>(sql`SELECT pg_database_size(current_database())`)) ?? 0;
  const pages = (await db.value<number>(sql`SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`)) ?? 0;
  const file = sqliteConnectionOf(db)?.name;
  const wal = file && fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0;
  return pages + wal;
}

/** The metrics in Prometheus' text format, with the database gauges read now. */
export async function renderMetrics(db: Db, now = Date.now()): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  const second = Math.floor(now / 1000);
  let lastMinute = 0;
  for (const [s, n] of m.state.perSecond) if (s >= second - 60 && s < second) lastMinute += n;
  m.eventsPerSecond.set(lastMinute / 60);
  m.scoreLag.set(m.state.oldestUnsynced === null ? 0 : Math.max(0, (now - m.state.oldestUnsynced) / 1000));
  const job = recomputeJobState();
  m.recomputeRunning.set(job.status === "running" && job.startedAt ? (now - Date.parse(job.startedAt)) / 1000 : 0);
  m.databaseBytes.set(await databaseSize(db));
  m.pendingEvents.set((await db.value<number>(sql`SELECT count(*) FROM pending_events`)) ?? 0);
  const runs = new Map((await listJobRuns(db)).map((r) => [r.name, r]));
  for (const [name, every] of Object.entries(SCHEDULED_JOBS)) {
    const run = runs.get(name);
    const due = (run?.startedAt ?? startedAt) + every;
    m.jobLag.set({ job: name }, run?.status === "running" ? 0 : Math.max(0, (now - due) / 1000));
    if (run?.status === "done" && run.finishedAt) m.jobLastSuccess.set({ job: name }, run.finishedAt / 1000);
  }
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
