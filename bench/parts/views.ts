/**
 * Part 3: p50 / p95 / p99 and requests/s at N concurrent connections for the data behind
 * every main view, signed in as the users who open them. Each scenario's URLs are requested
 * once first (the cold figures), then loaded for the configured duration.
 */
import type BetterSqlite3 from "better-sqlite3";
import { runLoad, timed, type LoadRequest, type LoadResult } from "../lib/http";
import { log } from "../lib/output";

export interface ViewScenario {
  id: string;
  label: string;
  /**
   * Which target the scenario is held to. "pages" are whole pages (the data plus Next.js
   * rendering the HTML), measured for reference: issue #8's targets are for the data.
   */
  group: "lists" | "teams" | "preview" | "pages";
  session: "manager" | "admin";
  requests: LoadRequest[];
}

export interface ViewResult extends LoadResult {
  id: string;
  label: string;
  group: ViewScenario["group"];
  urls: number;
  coldMs: number[];
  /** The server's peak resident memory so far (MiB), after this scenario: where memory goes. */
  peakMiBAfter: number;
}

/** Sample inputs from the dataset: the biggest book and a spread of accounts, the same every run. */
function pickInputs(sqlite: BetterSqlite3.Database): { manager: string; accountIds: number[] } {
  const manager = sqlite
    .prepare("SELECT account_manager FROM accounts WHERE account_manager IS NOT NULL GROUP BY account_manager ORDER BY count(*) DESC, account_manager LIMIT 1")
    .pluck()
    .get() as string;
  const max = sqlite.prepare("SELECT max(id) FROM accounts").pluck().get() as number;
  return { manager, accountIds: Array.from({ length: 500 }, (_, i) => 1 + ((i * 7919) % max)) };
}

const get = (path: string): LoadRequest => ({ path });

export function viewScenarios(sqlite: BetterSqlite3.Database, previewBodies: string[]): ViewScenario[] {
  const { manager, accountIds } = pickInputs(sqlite);
  const m = encodeURIComponent(manager);
  const pages = (base: string) => [base, `${base}&page=2`, `${base}&sort=arr`, `${base}&page=3&sort=lastContact`].map(get);
  const dimensions = ["plan", "region", "industry", "account_manager", "stage", "signup_month", "signup_quarter", "tag"];
  return [
    { id: "overview", label: "Overview data", group: "lists", session: "manager", requests: [get("/api/overview")] },
    { id: "list-high", label: "Call list 80–100, plan Enterprise", group: "lists", session: "manager", requests: pages("/api/accounts?list=high&manager=all&plan=Enterprise") },
    { id: "list-medium", label: `Call list 40–80 renewals, my accounts`, group: "lists", session: "manager", requests: pages(`/api/accounts?list=medium&manager=${m}`) },
    { id: "list-low", label: "Call list 1–40, region Europe", group: "lists", session: "manager", requests: pages("/api/accounts?list=low&manager=all&region=Europe") },
    { id: "list-drops", label: "Score drops, my accounts", group: "lists", session: "manager", requests: pages(`/api/accounts?list=drops&manager=${m}`) },
    { id: "list-trials", label: "Trials, industry Software", group: "lists", session: "manager", requests: pages("/api/accounts?list=trials&manager=all&industry=Software") },
    { id: "list-upsell", label: "Upsell, name search", group: "lists", session: "manager", requests: pages("/api/accounts?list=upsell&manager=all&q=north") },
    { id: "account-data", label: "Account page data (500 accounts)", group: "lists", session: "manager", requests: accountIds.map((id) => get(`/api/accounts/${id}`)) },
    { id: "segments", label: "Segments (8 dimensions)", group: "teams", session: "manager", requests: dimensions.map((d) => get(`/api/segments?dimension=${d}`)) },
    {
      id: "trends",
      label: "Trends (ranges, dimensions, medians)",
      group: "teams",
      session: "manager",
      requests: [
        ...[30, 90, 180, 365].map((r) => `/api/trends?range=${r}`),
        "/api/trends?range=365&dimension=plan",
        "/api/trends?range=90&dimension=region",
        "/api/trends?range=180&dimension=stage",
        "/api/trends?range=365&dimension=plan&segments=Starter%2CEnterprise&metric=median",
      ].map(get),
    },
    {
      id: "before-after",
      label: "Before/after (windows, dimensions)",
      group: "teams",
      session: "manager",
      requests: [30, 90, 180].flatMap((w) => ["plan", "region"].flatMap((d) => [30, 60].map((h) => get(`/api/trends/compare?window=${w}&dimension=${d}&horizon=${h}`)))),
    },
    {
      id: "preview",
      label: "Weights preview, all accounts",
      group: "preview",
      session: "admin",
      requests: previewBodies.map((body) => ({ method: "POST", path: "/api/admin/scoring/preview", body, headers: { "content-type": "application/json" } })),
    },
    { id: "overview-page", label: "Overview page (HTML)", group: "pages", session: "manager", requests: [get("/")] },
    { id: "account-page", label: "Account page (HTML, 500 accounts)", group: "pages", session: "manager", requests: accountIds.map((id) => get(`/accounts/${id}`)) },
    { id: "list-page", label: "Call list page (HTML, 1–40, region Europe)", group: "pages", session: "manager", requests: [get("/accounts?list=low&manager=all&region=Europe")] },
  ];
}

export async function measureViews(
  base: string,
  scenarios: readonly ViewScenario[],
  cookies: Record<ViewScenario["session"], string>,
  options: { connections: number; durationSeconds: number; only?: readonly string[]; peakMiB: () => number },
): Promise<ViewResult[]> {
  const results: ViewResult[] = [];
  for (const scenario of scenarios) {
    if (options.only && !options.only.includes(scenario.id)) continue;
    const headers = { cookie: cookies[scenario.session], origin: base };
    const coldMs: number[] = [];
    for (const r of scenario.requests.slice(0, 12)) {
      const response = await timed(base + r.path, { method: r.method ?? "GET", body: r.body, headers: { ...headers, ...r.headers } });
      if (response.status !== 200) throw new Error(`${r.method ?? "GET"} ${r.path} answered ${response.status}: ${response.body.slice(0, 300)}`);
      coldMs.push(Math.round(response.ms));
    }
    // Every URL once more, so the measurement sees a running server rather than its first minute.
    for (const r of scenario.requests) await timed(base + r.path, { method: r.method ?? "GET", body: r.body, headers: { ...headers, ...r.headers } });
    log(`${scenario.label}: ${options.connections} connections, ${options.durationSeconds} s`);
    const load = await runLoad({ base, connections: options.connections, durationSeconds: options.durationSeconds, requests: scenario.requests, headers });
    log(`  p95 ${load.p95.toFixed(0)} ms, ${load.requestsPerSecond.toFixed(0)} req/s${load.failures ? `, ${load.failures} FAILED` : ""}; server peak memory so far ${options.peakMiB().toFixed(0)} MiB`);
    results.push({ ...load, id: scenario.id, label: scenario.label, group: scenario.group, urls: scenario.requests.length, coldMs, peakMiBAfter: options.peakMiB() });
  }
  return results;
}
