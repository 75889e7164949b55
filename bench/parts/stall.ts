/**
 * Part "stall" (issue 14 item 2): can one user stall the server? For each role, 20
 * connections hammer the most expensive view that role can reach (a viewer: the Insights
 * page's suggested weights, a cross-validated fit; an admin: the weights preview, which scores
 * every account twice) while, at a steady pace and without waiting for each other:
 * - events arrive one per request (POST /v1/track, 20 a second), as a live product sends them;
 * - a manager loads the data behind the main pages (overview, a call list, account pages,
 *   segments; 10 a second);
 * - a monitor polls /api/health (5 a second).
 * The targets: single-event ingestion p95 ≤ 50 ms and page data p95 ≤ 300 ms throughout. A
 * first run with nobody hammering anything gives the same figures for comparison.
 * Latencies are measured open-loop (each request leaves on schedule, however long the
 * previous one takes), so a stalled server shows up as the delay it causes.
 */
import { randomUUID } from "node:crypto";
import { percentile, runLoad, timed, type LoadRequest, type LoadResult } from "../lib/http";
import { log } from "../lib/output";
import type { Population } from "../lib/workload";

export interface ProbeResult {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  failures: number;
}

export interface StallResult {
  /** "quiet": the same events and page loads with nobody hammering anything, for comparison. */
  id: "quiet" | "viewer" | "admin";
  label: string;
  seconds: number;
  /** Null for the quiet run. */
  attack: (LoadResult & { connections: number; inputs: number }) | null;
  ingest: ProbeResult;
  pages: ProbeResult;
  health: ProbeResult;
}

export interface StallInputs {
  base: string;
  cookies: { viewer: string; manager: string; admin: string };
  writeKey: string;
  population: Population;
  /** Page-data URLs a manager loads (overview, lists, accounts, segments). */
  pageUrls: string[];
  previewBodies: string[];
  /** The scores' as-of date, for the Insights periods. */
  asOfDate: string;
}

/** Sends `next()` every `intervalMs` until `untilMs`, never waiting for answers; latencies of all of them. */
async function probe(next: () => Promise<Response>, intervalMs: number, untilMs: number): Promise<ProbeResult> {
  const latencies: number[] = [];
  let failures = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; start + i * intervalMs < untilMs; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      next().then(
        async (response) => {
          await response.arrayBuffer();
          // Measured from when it was due: a probe the client could not send on time counts as late.
          latencies.push(performance.now() - due);
          if (!response.ok) failures++;
        },
        () => {
          latencies.push(performance.now() - due);
          failures++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) ?? Number.NaN, failures };
}

function trackBody(population: Population): string {
  const account = Math.floor(Math.random() * population.accountIds.length);
  const type = Math.floor(Math.random() * population.typeKeys.length);
  return JSON.stringify({
    type: "track",
    messageId: randomUUID(),
    event: population.typeKeys[type],
    userId: `stall-user-${account}`,
    context: { groupId: population.externalIds[account] },
    timestamp: new Date().toISOString(),
  });
}

function isoDaysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** What each role attacks: its most expensive view, with a few different inputs. */
function attacks(inputs: StallInputs): { id: Exclude<StallResult["id"], "quiet">; label: string; cookie: string; requests: LoadRequest[] }[] {
  const leads = [30, 60, 90, 180];
  const suggestion = leads.flatMap((lead) => [
    `/api/insights/suggestion?lead=${lead}`,
    `/api/insights/suggestion?lead=${lead}&from=${isoDaysBefore(inputs.asOfDate, 182)}&to=${inputs.asOfDate}`,
  ]);
  return [
    { id: "viewer", label: "a viewer on the suggested weights (Insights)", cookie: inputs.cookies.viewer, requests: suggestion.map((path) => ({ path })) },
    {
      id: "admin",
      label: "an admin on the weights preview",
      cookie: inputs.cookies.admin,
      requests: inputs.previewBodies.map((body) => ({ method: "POST", path: "/api/admin/scoring/preview", body, headers: { "content-type": "application/json" } })),
    },
  ];
}

export async function measureStall(inputs: StallInputs, options: { durationSeconds: number; connections: number }): Promise<StallResult[]> {
  const { base } = inputs;
  const ingestHeaders = { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${inputs.writeKey}:`).toString("base64")}` };
  // The write key works and the views answer before anything is measured.
  const check = await timed(`${base}/v1/track`, { method: "POST", headers: ingestHeaders, body: trackBody(inputs.population) });
  if (check.status !== 200) throw new Error(`POST /v1/track answered ${check.status}: ${check.body.slice(0, 300)}`);

  const results: StallResult[] = [];
  for (const attack of [null, ...attacks(inputs)]) {
    log(
      attack
        ? `stall: ${options.connections} connections of ${attack.label} for ${options.durationSeconds} s, while events arrive and a manager loads pages`
        : `stall: first ${options.durationSeconds} s of events arriving and a manager loading pages with nobody hammering anything, for comparison`,
    );
    const until = performance.now() + options.durationSeconds * 1000;
    let page = 0;
    const managerHeaders = { cookie: inputs.cookies.manager };
    const [load, ingest, pages, health] = await Promise.all([
      attack
        ? runLoad({ base, connections: options.connections, durationSeconds: options.durationSeconds, requests: attack.requests, headers: { cookie: attack.cookie, origin: base }, timeoutSeconds: 120 })
        : Promise.resolve(null),
      probe(() => fetch(`${base}/v1/track`, { method: "POST", headers: ingestHeaders, body: trackBody(inputs.population) }), 50, until),
      probe(() => fetch(base + (inputs.pageUrls[page++ % inputs.pageUrls.length] ?? "/api/overview"), { headers: managerHeaders }), 100, until),
      probe(() => fetch(`${base}/api/health`), 200, until),
    ]);
    log(
      `  ingestion p95 ${ingest.p95.toFixed(0)} ms (max ${ingest.max.toFixed(0)}), page data p95 ${pages.p95.toFixed(0)} ms (max ${pages.max.toFixed(0)}), health p95 ${health.p95.toFixed(0)} ms` +
        (load ? `; the attacked view: ${load.requestsPerSecond.toFixed(0)} req/s, p95 ${load.p95.toFixed(0)} ms` : "") +
        `${(load?.failures ?? 0) + ingest.failures + pages.failures ? `, FAILED: ${load?.failures ?? 0} attack / ${ingest.failures} ingest / ${pages.failures} pages` : ""}`,
    );
    results.push({
      id: attack?.id ?? "quiet",
      label: attack?.label ?? "nobody (for comparison)",
      seconds: options.durationSeconds,
      attack: load && attack ? { ...load, connections: options.connections, inputs: attack.requests.length } : null,
      ingest,
      pages,
      health,
    });
  }
  return results;
}
