/**
 * Part "operations" (issue 21): what retention and metrics cost ingestion. The same /v1/batch
 * measurement as the ingestion part, on two fresh copies of the dataset:
 * - plain: ingestion alone (no scraper, retention keeping everything);
 * - operated: retention set to 6 months and started through the admin API ("Apply now", which
 *   answers 202 at once and deletes in the background), so it deletes half the raw events,
 *   5,000 per transaction, while the senders send; its progress polled every second (started
 *   again whenever it ends, so it runs through the whole measurement even on a small
 *   dataset); and /metrics scraped every second, as Prometheus would (more often than its
 *   usual 15 s). The measurement starts once the run has counted what it will delete (a
 *   one-off count at the start of a run) and never waits for the deletion to end: at 21 M
 *   events it deletes ~10 M, far longer than the measurement.
 * Target: operated ≥ 95 % of plain. Each is measured twice, alternating, and the better rate
 * of each kept, so that one slow moment of a shared machine does not decide the verdict.
 */
import { openDatabase } from "@/db";
import type { RetentionJobState } from "@/lib/operations/server/retention-job";
import { removeWorkingCopy, type Dataset } from "../lib/dataset";
import { signIn } from "../lib/http";
import { fmt, log } from "../lib/output";
import type { BenchServer } from "../lib/server";
import { measureHttpIngest, prepareIngestCopy, type HttpIngestResult } from "./ingest";

export const METRICS_TOKEN = "bench-metrics-token-0123456789";
const RETENTION_MONTHS = 6;
const POLL_MS = 1000;
/** How long the run may take to count what it deletes before the measurement gives up. */
const COUNT_WAIT_MS = 10 * 60_000;

export interface OperationsResult {
  plain: HttpIngestResult;
  operated: HttpIngestResult;
  /** Raw events the retention job deleted while the operated measurement ran. */
  retentionDeleted: number;
  /** Whether the first retention run was still deleting when the measurement ended (true at full size). */
  retentionStillRunning: boolean;
  scrapes: number;
  scrapeP95Ms: number;
}

type WithServer = <T>(file: string, work: (server: BenchServer) => Promise<T>, env?: Record<string, string>) => Promise<T>;

async function plainRun(dataset: Dataset, events: number, withServer: WithServer): Promise<HttpIngestResult> {
  const { file, population, writeKey } = await prepareIngestCopy(dataset, "ops-plain");
  try {
    return await withServer(file, (server) => measureHttpIngest(server, file, population, writeKey, events));
  } finally {
    removeWorkingCopy(file);
  }
}

async function operatedRun(dataset: Dataset, events: number, withServer: WithServer): Promise<{ http: HttpIngestResult; deleted: number; stillRunning: boolean; scrapeMs: number[] }> {
  const { file, population, writeKey } = await prepareIngestCopy(dataset, "ops-operated");
  const db = openDatabase(file);
  db.sqlite.prepare("INSERT INTO retention_settings (id, raw_event_months) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET raw_event_months = excluded.raw_event_months").run(RETENTION_MONTHS);
  db.sqlite.close();
  try {
    return await withServer(
      file,
      async (server) => {
        const admin = await signIn(server.base, "admin");
        const headers = { cookie: admin, origin: server.base };
        const start = async () => {
          const response = await fetch(`${server.base}/api/admin/retention/run`, { method: "POST", headers });
          // 409: the hourly run got there first; it is the same job.
          if (response.status !== 202 && response.status !== 409) throw new Error(`retention run answered ${response.status}: ${await response.text()}`);
        };
        const state = async (): Promise<RetentionJobState> => {
          const response = await fetch(`${server.base}/api/admin/retention/run`, { headers });
          if (!response.ok) throw new Error(`retention state answered ${response.status}: ${await response.text()}`);
          const body = (await response.json()) as { data: RetentionJobState | null };
          if (!body.data) throw new Error("retention state: no run recorded after a start");
          if (body.data.status === "failed") throw new Error(`retention failed: ${body.data.error ?? "unknown error"}`);
          return body.data;
        };
        await start();
        const countStarted = performance.now();
        let current = await state();
        while (current.status === "running" && current.total === 0 && current.done === 0) {
          if (performance.now() - countStarted > COUNT_WAIT_MS) throw new Error("retention did not count what it deletes within 10 minutes");
          await new Promise((r) => setTimeout(r, 250));
          current = await state();
        }
        log(`retention started: ${fmt(current.total)} raw events to delete (counted in ${((performance.now() - countStarted) / 1000).toFixed(1)} s)`);
        let stop = false;
        const scrapeMs: number[] = [];
        // Deleted by earlier runs of this measurement, plus the current run's progress.
        let deletedBefore = 0;
        let deleted = current.done;
        let firstRunEnded = current.status !== "running";
        const retention = (async () => {
          while (!stop) {
            await new Promise((r) => setTimeout(r, POLL_MS));
            const now = await state();
            deleted = deletedBefore + now.done;
            if (now.status !== "running" && !stop) {
              firstRunEnded = true;
              deletedBefore = deleted;
              await start();
            }
          }
        })();
        const scraper = (async () => {
          while (!stop) {
            const started = performance.now();
            const response = await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
            await response.text();
            if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
            scrapeMs.push(performance.now() - started);
            await new Promise((r) => setTimeout(r, 1000));
          }
        })();
        try {
          const http = await measureHttpIngest(server, file, population, writeKey, events);
          stop = true;
          await Promise.all([retention, scraper]);
          // The server stops now, mid-run at full size: each batch was its own transaction.
          return { http, deleted, stillRunning: !firstRunEnded, scrapeMs };
        } finally {
          stop = true;
          await Promise.allSettled([retention, scraper]);
        }
      },
      { METRICS_TOKEN },
    );
  } finally {
    removeWorkingCopy(file);
  }
}

export async function measureOperationsCost(dataset: Dataset, events: number, withServer: WithServer, rounds: number): Promise<OperationsResult> {
  let plain: HttpIngestResult | null = null;
  let operated: HttpIngestResult | null = null;
  let deleted = 0;
  let stillRunning = true;
  const scrapes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const p = await plainRun(dataset, events, withServer);
    const o = await operatedRun(dataset, events, withServer);
    log(
      `round ${round + 1}: plain ${fmt(p.rate)} events/s, with retention (deleted ${fmt(o.deleted)} raw events meanwhile${o.stillRunning ? ", still deleting at the end" : ""}) and /metrics scraped every second ${fmt(o.http.rate)} events/s`,
    );
    if (!plain || p.rate > plain.rate) plain = p;
    if (!operated || o.http.rate > operated.rate) operated = o.http;
    deleted = Math.max(deleted, o.deleted);
    stillRunning &&= o.stillRunning;
    scrapes.push(...o.scrapeMs);
  }
  if (!plain || !operated) throw new Error("no rounds");
  scrapes.sort((a, b) => a - b);
  return { plain, operated, retentionDeleted: deleted, retentionStillRunning: stillRunning, scrapes: scrapes.length, scrapeP95Ms: scrapes[Math.max(0, Math.ceil(scrapes.length * 0.95) - 1)] ?? Number.NaN };
}
