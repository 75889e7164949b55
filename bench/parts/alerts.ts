/**
 * Part: alerts (issue 17), against the targets:
 * - latency: the time from an event that drops an account's band being accepted by
 *   /api/v1/events to the signed alert reaching a webhook receiver, with live ingestion running
 *   beside it (≤ 5 s);
 * - the daily digest for 200 account managers over the dataset's accounts, built, rendered and
 *   queued (≤ 10 s);
 * - ingestion with alerts on (every rule, a webhook destination, the worker, a digest run)
 *   against ingestion without them (no rule, no destination, no worker): slowdown ≤ 10 %.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db";
import { SqliteDb } from "@/db/sqlite-client";
import { todayDay } from "@/lib/days";
import { defaultRule, RULE_KINDS, type RuleKind } from "@/lib/alerts/rules";
import { createDestination } from "@/lib/alerts/server/destinations";
import { queueDigests } from "@/lib/alerts/server/digests";
import { saveEmailSettings } from "@/lib/alerts/server/email-settings";
import { saveRule } from "@/lib/alerts/server/rules";
import { removeWorkingCopy, workingCopy, type Dataset } from "../lib/dataset";
import { percentile, runLoad, signIn } from "../lib/http";
import { fmt, log } from "../lib/output";
import type { BenchServer } from "../lib/server";
import { segmentBatchBody, type Population } from "../lib/workload";
import { measureHttpIngest, prepareIngestCopy, type HttpIngestResult } from "./ingest";

const ACTOR = { id: "bench", name: "Benchmark" };
const MANAGERS = 200;
/** How long the latency run waits for the last alerts; one that never came counts as this long. */
const MISSED_MS = 30_000;

/** A webhook receiver in this process: when each account's first alert arrived (performance.now()). */
export interface AlertReceiver {
  url: string;
  arrivals: Map<string, number>;
  received: () => number;
  close: () => Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const arrivals = new Map<string, number>();
  let received = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      received++;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { type?: string; data?: { account?: { id?: string } } };
        const account = body.data?.account?.id;
        if (body.type === "alert.fired" && account && !arrivals.has(account)) arrivals.set(account, at);
      } catch {
        // Not JSON: counted, not timed.
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    arrivals,
    received: () => received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Switches rules on (default: all), sending to the receiver (email set up to a host that only queues). */
export async function enableAlerts(file: string, receiverUrl: string, kinds: readonly RuleKind[] = RULE_KINDS): Promise<void> {
  const database = openDatabase(file);
  const db = new SqliteDb(database.sqlite, database.file);
  try {
    const { id } = await createDestination(db, { actor: ACTOR, kind: "webhook", name: "Benchmark receiver", url: receiverUrl, events: ["scores.changed", "configuration.changed"] });
    for (const kind of kinds) await saveRule(db, { actor: ACTOR, rule: { ...defaultRule(kind), enabled: true, destinationIds: [id] } });
    await saveEmailSettings(db, { actor: ACTOR, smtpHost: "127.0.0.1", smtpPort: 9, smtpSecurity: "none", smtpUsername: null, smtpPassword: undefined, fromAddress: "bench@example.com", digestHourUtc: 23 });
    database.sqlite.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    database.sqlite.close();
  }
}

/** A POST that is sent again (same body, same messageId: stored once) when the connection drops before an answer. */
async function sendWithRetry(url: string, init: RequestInit, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= attempts) throw error;
      log(`  ${url}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}; sending again`);
    }
  }
}

export interface LatencyResult {
  samples: number;
  missed: number;
  p50: number;
  p95: number;
  max: number;
  /** Events/s the live ingestion beside it stored. */
  backgroundRate: number;
}

interface Target {
  externalId: string;
  scoreHundredths: number;
}

/**
 * One band drop at a time (a medium account pushed below 40 by its most negative event type;
 * an established customer, since a new or churned account drops no band: lib/alerts/match.ts),
 * a second apart, while two senders keep /v1/batch busy. Latency: the receiver's arrival time
 * minus the moment /api/v1/events answered.
 */
export async function measureAlertLatency(server: BenchServer, file: string, population: Population, writeKey: string, receiver: AlertReceiver, samples: number): Promise<LatencyResult> {
  const database = openDatabase(file);
  let targets: Target[];
  let risk: { key: string; weight: number };
  let liveTypes: Population;
  try {
    targets = database.sqlite
      .prepare(`SELECT a.external_id AS externalId, s.score_hundredths AS scoreHundredths FROM accounts a JOIN account_scores s ON s.account_id = a.id
        WHERE s.band = 'medium' AND s.score_hundredths BETWEEN 5000 AND 7800 AND s.activity = 'active' AND s.previous_activity IS NOT NULL
          AND a.stage <> 'churned' ORDER BY (a.id * 7919) % 10007 LIMIT ?`)
      .all(samples) as Target[];
    risk = database.sqlite.prepare("SELECT key, weight_hundredths / 100.0 AS weight FROM event_types WHERE active = 1 ORDER BY weight_hundredths LIMIT 1").get() as { key: string; weight: number };
    // The live traffic beside it: the dataset's event types that add points (random risk
    // events at benchmark rates would drop hundreds of other accounts a second).
    const positive = new Set(database.sqlite.prepare("SELECT id FROM event_types WHERE weight_hundredths >= 0").pluck().all() as number[]);
    const keep = population.typeIds.map((id, i) => (positive.has(id) ? i : -1)).filter((i) => i >= 0);
    liveTypes = { ...population, typeIds: keep.map((i) => population.typeIds[i] ?? 0), typeKeys: keep.map((i) => population.typeKeys[i] ?? "") };
  } finally {
    database.sqlite.close();
  }
  if (risk.weight >= 0) throw new Error("the dataset has no event type with a negative weight");
  const basic = `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
  let stop = false;
  const background = runLoad({
    base: server.base,
    connections: 2,
    durationSeconds: samples + 15,
    requests: () => ({ method: "POST", path: "/v1/batch", body: segmentBatchBody(liveTypes, stop ? 1 : 500) }),
    headers: { "content-type": "application/json", authorization: basic },
  });
  const accepted = new Map<string, number>();
  await new Promise((r) => setTimeout(r, 3000));
  // The live traffic keeps adding points: each drop is sized from the score just before it is
  // sent, to well below 40 (to 20), so it drops a band whatever arrived meanwhile.
  const reader = openDatabase(file);
  const scoreNow = reader.sqlite.prepare("SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ?").pluck();
  for (const target of targets) {
    const current = ((scoreNow.get(target.externalId) as number | undefined) ?? target.scoreHundredths) / 100;
    const quantity = Math.ceil((current - 20) / -risk.weight);
    const body = JSON.stringify({ events: [{ event: risk.key, accountId: target.externalId, timestamp: new Date().toISOString(), quantity, messageId: `bench-drop-${target.externalId}` }] });
    const response = await sendWithRetry(`${server.base}/api/v1/events`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${writeKey}` }, body });
    accepted.set(target.externalId, performance.now());
    if (!response.ok) throw new Error(`/api/v1/events answered ${response.status}: ${await response.text()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  reader.sqlite.close();
  const deadline = performance.now() + MISSED_MS;
  while (performance.now() < deadline && targets.some((t) => !receiver.arrivals.has(t.externalId))) await new Promise((r) => setTimeout(r, 100));
  stop = true;
  const load = await background;
  // An alert that never arrived counts as the whole wait: a miss can only make the figure worse.
  let missed = 0;
  const latencies = targets.map((t) => {
    const arrived = receiver.arrivals.get(t.externalId);
    const sent = accepted.get(t.externalId);
    if (arrived === undefined || sent === undefined) {
      missed++;
      return MISSED_MS;
    }
    return arrived - sent;
  });
  latencies.sort((a, b) => a - b);
  const result = {
    samples: latencies.length,
    missed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.at(-1) ?? Number.NaN,
    backgroundRate: (load.requests * 500) / load.seconds,
  };
  log(`alert latency over ${result.samples} band drops: p50 ${fmt(result.p50)} ms, p95 ${fmt(result.p95)} ms, max ${fmt(result.max)} ms${result.missed ? `, ${result.missed} MISSED` : ""}; live ingestion beside it ~${fmt(result.backgroundRate)} events/s`);
  return result;
}

export interface DigestResult {
  managers: number;
  accounts: number;
  tasks: number;
  alerts: number;
  digests: number;
  millis: number;
}

/** The daily digest of 200 managers over every account of the dataset, built, rendered and queued. */
export async function measureDigest(dataset: Dataset): Promise<DigestResult> {
  const file = workingCopy(dataset, "alerts-digest");
  const database = openDatabase(file);
  const db = new SqliteDb(database.sqlite, database.file);
  try {
    const now = Date.now();
    database.sqlite.exec(`UPDATE accounts SET account_manager = 'Manager ' || (id % ${MANAGERS})`);
    const insertUser = database.sqlite.prepare("INSERT INTO users (id, name, email, role, account_manager_name, created_at, updated_at) VALUES (?, ?, ?, 'manager', ?, ?, ?)");
    database.sqlite.transaction(() => {
      for (let i = 0; i < MANAGERS; i++) insertUser.run(`bench-manager-${i}`, `Manager ${i}`, `manager${i}@bench.example.com`, `Manager ${i}`, now, now);
    })();
    // A busy day: an open task and an alert since yesterday on one account in twenty.
    database.sqlite.exec(`INSERT INTO alerts (uid, rule_kind, account_id, dedupe_key, fired_at, title, summary, details)
      SELECT 'alrt_bench_' || id, 'band_drop', id, 'bench:' || id, ${now - 3_600_000}, name || ' dropped from Medium to Low', 'Score 35 (was 52). Why it moved: Complaint escalated −15.', '{}'
      FROM accounts WHERE id % 20 = 0`);
    database.sqlite.exec(`INSERT INTO tasks (account_id, alert_id, rule_kind, title, playbook, assignee, due_date, status, created_at)
      SELECT a.id, al.id, 'band_drop', al.title, 'Call within two days: find out what changed.', a.account_manager, date('now', '+2 days'), 'open', ${now}
      FROM accounts a JOIN alerts al ON al.account_id = a.id`);
    await saveEmailSettings(db, { actor: ACTOR, smtpHost: "127.0.0.1", smtpPort: 9, smtpSecurity: "none", smtpUsername: null, smtpPassword: undefined, fromAddress: "bench@example.com", digestHourUtc: 7 });
    const counts = database.sqlite.prepare("SELECT (SELECT count(*) FROM accounts) AS accounts, (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM alerts) AS alerts").get() as { accounts: number; tasks: number; alerts: number };
    const started = performance.now();
    const summary = await queueDigests(db, { today: todayDay(), manual: true });
    const millis = performance.now() - started;
    const queued = (await db.value<number>(sql`SELECT count(*) FROM outbox WHERE event_type = 'digest'`)) ?? 0;
    log(`digest for ${MANAGERS} managers over ${fmt(counts.accounts)} accounts (${fmt(counts.tasks)} open tasks, ${fmt(counts.alerts)} alerts): ${fmt(summary.queued)} digests built and queued in ${fmt(millis)} ms`);
    return { managers: MANAGERS, ...counts, digests: queued, millis };
  } finally {
    database.sqlite.close();
    removeWorkingCopy(file);
  }
}

export interface IngestComparison {
  without: HttpIngestResult;
  with: HttpIngestResult;
  /** (1 − with / without) × 100, from the better of the rounds of each. */
  slowdownPercent: number;
}

type WithServer = <T>(file: string, env: Record<string, string>, work: (server: BenchServer) => Promise<T>) => Promise<T>;

/**
 * /v1/batch with and without alerts, each on a fresh copy, alternating for `rounds` rounds (the
 * better of each counts: this machine is shared). With alerts, every rule is on, deliveries go
 * to the receiver and a digest run is asked for halfway.
 */
export async function measureIngestWithAlerts(dataset: Dataset, events: number, rounds: number, withServer: WithServer): Promise<IngestComparison> {
  const receiver = await startAlertReceiver();
  const runs: { without: HttpIngestResult[]; with: HttpIngestResult[] } = { without: [], with: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of ["without", "with"] as const) {
        const { file, population, writeKey } = await prepareIngestCopy(dataset, `alerts-ingest-${mode}`);
        try {
          // Without: no rule, no destination, no worker. The score writers' record of what
          // changed (a few statements per write, lib/scoring/server/score-change-log.ts) is part of the
          // product either way and is in both runs.
          if (mode === "with") await enableAlerts(file, receiver.url);
          const env: Record<string, string> = mode === "with" ? { ALERTS_ALLOW_HTTP: "true", ALERTS_ALLOW_PRIVATE_NETWORKS: "true" } : { ALERTS_WORKER: "off" };
          const result = await withServer(file, env, async (server) => {
            let digest: Promise<unknown> = Promise.resolve();
            if (mode === "with") {
              const cookie = await signIn(server.base, "admin");
              digest = new Promise((r) => setTimeout(r, 3000)).then(() => fetch(`${server.base}/api/admin/alerts/digests`, { method: "POST", headers: { cookie, origin: server.base } }));
            }
            const measured = await measureHttpIngest(server, file, population, writeKey, events);
            await digest;
            return measured;
          });
          log(`  round ${round + 1}, alerts ${mode === "with" ? "on" : "off"}: ${fmt(result.rate)} events/s`);
          runs[mode].push(result);
        } finally {
          removeWorkingCopy(file);
        }
      }
    }
  } finally {
    await receiver.close();
  }
  const best = (list: HttpIngestResult[]) => list.reduce((a, b) => (b.rate > a.rate ? b : a));
  const without = best(runs.without);
  const withAlerts = best(runs.with);
  const slowdownPercent = (1 - withAlerts.rate / without.rate) * 100;
  log(`ingestion with alerts ${fmt(withAlerts.rate)} events/s against ${fmt(without.rate)} without: ${slowdownPercent.toFixed(1)} % slower (CPU ${withAlerts.cpuMicrosPerEvent.toFixed(0)} vs ${without.cpuMicrosPerEvent.toFixed(0)} µs/event)`);
  return { without, with: withAlerts, slowdownPercent };
}

export interface AlertsResult {
  latency: LatencyResult;
  digest: DigestResult;
  ingest: IngestComparison;
}

/** The latency run: its own copy with alerts on, a receiver, and a server. */
export async function measureAlerts(dataset: Dataset, options: { samples: number; events: number; rounds: number }, withServer: WithServer): Promise<AlertsResult> {
  const digest = await measureDigest(dataset);
  const receiver = await startAlertReceiver();
  let latency: LatencyResult;
  try {
    const { file, population, writeKey } = await prepareIngestCopy(dataset, "alerts-latency");
    try {
      await enableAlerts(file, receiver.url, ["band_drop"]);
      latency = await withServer(file, { ALERTS_ALLOW_HTTP: "true", ALERTS_ALLOW_PRIVATE_NETWORKS: "true" }, (server) => measureAlertLatency(server, file, population, writeKey, receiver, options.samples));
    } finally {
      removeWorkingCopy(file);
    }
  } finally {
    await receiver.close();
  }
  const ingest = await measureIngestWithAlerts(dataset, options.events, options.rounds, withServer);
  return { latency, digest, ingest };
}
