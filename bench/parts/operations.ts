/**
 * Part "operations" (issue 21): what retention and metrics cost ingestion. The same /v1/batch
 * measurement as the ingestion part, on two fresh copies of the dataset:
 * - plain: ingestion alone (no scraper, retention keeping everything);
 * - operated: retention set to 6 months and run through the admin API, so it deletes half
 *   the raw events, 5,000 per transaction, while the senders send; and /metrics scraped
 *   every second, as Prometheus would (more often than its usual 15 s).
 * Target: operated ≥ 95 % of plain. Each is measured twice, alternating, and the better rate
 * of each kept, so that one slow moment of a shared machine does not decide the verdict.
 */
import { openDatabase } from "@/db";
import { removeWorkingCopy, type Dataset } from "../lib/dataset";
import { signIn } from "../lib/http";
import { fmt, log } from "../lib/output";
import type { BenchServer } from "../lib/server";
import { measureHttpIngest, prepareIngestCopy, type HttpIngestResult } from "./ingest";

export const METRICS_TOKEN = "bench-metrics-token-0123456789";
const RETENTION_MONTHS = 6;

export interface OperationsResult {
  plain: HttpIngestResult;
  operated: HttpIngestResult;
  /** Raw events the retention job deleted while the operated measurement ran. */
  retentionDeleted: number;
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

async function operatedRun(dataset: Dataset, events: number, withServer: WithServer): Promise<{ http: HttpIngestResult; deleted: number; scrapeMs: number[] }> {
  const { file, population, writeKey } = await prepareIngestCopy(dataset, "ops-operated");
  const db = openDatabase(file);
  db.sqlite.prepare("INSERT INTO retention_settings (id, raw_event_months) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET raw_event_months = excluded.raw_event_months").run(RETENTION_MONTHS);
  db.sqlite.close();
  try {
    return await withServer(
      file,
      async (server) => {
        const admin = await signIn(server.base, "admin");
        let stop = false;
        let deleted = 0;
        const scrapeMs: number[] = [];
        const retention = (async () => {
          while (!stop) {
            const response = await fetch(`${server.base}/api/admin/retention/run`, { method: "POST", headers: { cookie: admin, origin: server.base } });
            const body = (await response.json()) as { data?: { deletedEvents: number } };
            deleted += body.data?.deletedEvents ?? 0;
            if (response.status !== 200 && response.status !== 409) throw new Error(`retention run answered ${response.status}`);
            if ((body.data?.deletedEvents ?? 0) === 0) await new Promise((r) => setTimeout(r, 250));
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
          return { http, deleted, scrapeMs };
        } finally {
          stop = true;
          await Promise.all([retention, scraper]);
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
  const scrapes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const p = await plainRun(dataset, events, withServer);
    const o = await operatedRun(dataset, events, withServer);
    log(`round ${round + 1}: plain ${fmt(p.rate)} events/s, with retention (deleted ${fmt(o.deleted)} raw events meanwhile) and /metrics scraped every second ${fmt(o.http.rate)} events/s`);
    if (!plain || p.rate > plain.rate) plain = p;
    if (!operated || o.http.rate > operated.rate) operated = o.http;
    deleted = Math.max(deleted, o.deleted);
    scrapes.push(...o.scrapeMs);
  }
  if (!plain || !operated) throw new Error("no rounds");
  scrapes.sort((a, b) => a - b);
  return { plain, operated, retentionDeleted: deleted, scrapes: scrapes.length, scrapeP95Ms: scrapes[Math.max(0, Math.ceil(scrapes.length * 0.95) - 1)] ?? Number.NaN };
}
