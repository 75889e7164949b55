import { sql } from "drizzle-orm";
import fs from "node:fs";
import path from "node:path";
import { request as playwrightRequest, type APIRequestContext, type APIResponse } from "@playwright/test";
import { matchRouteRule, requiredRole, type RouteAccess } from "@/lib/auth/access";
import { demoUser } from "@/lib/demo/users";
import { hasRole, type Role } from "@/lib/auth/roles";
import { withE2eDb } from "./db";
import { E2E_BASE_URL, expect, test } from "./fixtures";
import { discoverRoutes, fillPattern, type DiscoveredRoute } from "./routes";

/**
 * Walks every route of the app (discovered from app/) as each kind of visitor and checks the
 * status against the access rules of lib/auth/access.ts: pages redirect the signed-out to sign-in
 * (307) and the under-privileged to /forbidden (307); APIs answer 401 and 403; write-key
 * endpoints never accept a session. A route no rule classifies fails the test.
 *
 * "forged" carries a session cookie the server never issued: it gets past the proxy's
 * optimistic cookie check, so it proves the server-side checks themselves.
 */
type Identity = "signed-out" | "forged" | Role;
const IDENTITIES: readonly Identity[] = ["signed-out", "forged", "viewer", "manager", "admin"];

/** One request context per identity: no cookie, a forged session cookie, or a role's real session. */
async function contextsFor(
  identities: readonly Identity[],
  roleStates: (role: Role) => Promise<Awaited<ReturnType<APIRequestContext["storageState"]>>>,
): Promise<Map<Identity, APIRequestContext>> {
  const contexts = new Map<Identity, APIRequestContext>();
  for (const who of identities) {
    const storageState =
      who === "signed-out"
        ? undefined
        : who === "forged"
          ? { cookies: [{ name: "ces.session_token", value: "forged.c2lnbmF0dXJl", domain: "127.0.0.1", path: "/", expires: -1, httpOnly: true, secure: false, sameSite: "Lax" as const }], origins: [] }
          : await roleStates(who);
    contexts.set(who, await playwrightRequest.newContext({ baseURL: E2E_BASE_URL, storageState }));
  }
  return contexts;
}

interface Sample {
  prefix: string;
  segment: string;
  value: string;
}

/** Real values for dynamic segments, by the path they appear under (read once, from the e2e database). */
async function loadSamples(): Promise<Sample[]> {
  const { viewerId, accountId } = await withE2eDb(async (db) => ({
    viewerId: (await db.value<string>(sql`SELECT id FROM users WHERE email = ${demoUser("viewer").email}`)) ?? "",
    accountId: String(await db.value<number>(sql`SELECT min(id) FROM accounts`)),
  }));
  return [
    { prefix: "/admin/users/", segment: "[id]", value: viewerId },
    { prefix: "/api/admin/users/", segment: "[id]", value: viewerId },
    { prefix: "/accounts/", segment: "[id]", value: accountId },
    { prefix: "/api/accounts/", segment: "[id]", value: accountId },
    { prefix: "/api/auth/", segment: "[...all]", value: "get-session" },
    { prefix: "/api/segment/", segment: "[call]", value: "batch" },
    // A part of analytics.js as published (its name carries a content hash).
    { prefix: "/api/segment/bundles/", segment: "[file]", value: analyticsBundleName() },
  ];
}

function analyticsBundleName(): string {
  const name = fs.readdirSync(path.resolve("node_modules/@segment/analytics-next/dist/umd")).find((file) => file.endsWith(".js") && file.includes(".bundle."));
  if (!name) throw new Error("@segment/analytics-next has no bundles: is it installed?");
  return name;
}
const PLACEHOLDER = "e2e-placeholder";

function urlFor(route: DiscoveredRoute, samples: readonly Sample[]): { url: string; placeholder: boolean } {
  let placeholder = false;
  const url = fillPattern(route.pattern, (segment) => {
    const sample = samples.find((s) => s.segment === segment && route.pattern.startsWith(s.prefix));
    if (sample) return sample.value;
    placeholder = true;
    return segment.startsWith("[...") || segment.startsWith("[[...") ? `${PLACEHOLDER}/x` : PLACEHOLDER;
  });
  if (url === null) throw new Error(`Cannot fill ${route.pattern}`);
  return { url: url.replace(/%2F/g, "/"), placeholder };
}

interface Expected {
  status: number[];
  /** For redirects: the path the Location must start with. */
  location?: string;
  /** Only "not refused": public endpoints whose answer depends on the body. */
  notRefused?: boolean;
}

function expectation(route: DiscoveredRoute, access: RouteAccess, method: string, who: Identity, placeholder: boolean): Expected | "skip" {
  const signedIn = who !== "signed-out" && who !== "forged";
  // Write-key routes refuse everyone without a key, session or not; CORS preflights (which
  // browsers send without credentials) are answered so browser SDKs can ask.
  if (access.kind === "write-key") return method === "OPTIONS" ? { status: [204] } : { status: [401] };
  // The read API: a read token only; sessions (and forged ones) get 401 like everybody without a token.
  if (access.kind === "read-token") return { status: [401] };
  // Without METRICS_TOKEN (the e2e server sets none) /metrics is off for everyone.
  if (access.kind === "metrics-token") return { status: [401, 403] };
  if (access.kind === "public") {
    if (route.kind === "page") {
      if (route.pattern === "/sign-in") return signedIn ? { status: [307], location: "/" } : { status: [200] };
      if (route.pattern === "/setup") return { status: [307], location: signedIn ? "/" : "/sign-in" }; // users exist
      return { status: [200] };
    }
    return method === "GET" ? { status: [200] } : { status: [], notRefused: true };
  }
  const needed = requiredRole(access, method);
  if (needed === null) throw new Error("signed-in access without a role");
  const allowed = signedIn && hasRole({ role: who }, needed);
  if (route.kind === "page") {
    if (!signedIn) return { status: [307], location: "/sign-in" };
    if (!allowed) return { status: [307], location: "/forbidden" };
    return { status: placeholder ? [200, 404] : [200] };
  }
  if (!signedIn) return { status: [401] };
  if (!allowed) return { status: [403] };
  // Changing requests are not sent with a permitted role: the walk must not change data.
  if (method !== "GET" && method !== "HEAD") return "skip";
  return { status: placeholder ? [200, 404] : [200] };
}

async function send(context: APIRequestContext, method: string, url: string): Promise<APIResponse> {
  const options = { maxRedirects: 0, failOnStatusCode: false, headers: { origin: E2E_BASE_URL } };
  if (method === "GET" || method === "HEAD") return context.fetch(url, { ...options, method });
  return context.fetch(url, { ...options, method, data: {} });
}

const routes = discoverRoutes();

test("the app's routes are discovered from the app directory", () => {
  const patterns = routes.map((r) => `${r.kind} ${r.pattern}`);
  // A few that must always exist; the rest are whatever the app has today.
  expect(patterns).toEqual(expect.arrayContaining(["page /", "page /sign-in", "page /admin/users", "api /api/health", "api /api/auth/[...all]"]));
  for (const route of routes) expect(route.methods.length, `${route.file} exports no HTTP method`).toBeGreaterThan(0);
});

test("every route is classified in lib/auth/access.ts", () => {
  const unclassified = routes.filter((r) => matchRouteRule(r.pattern) === null).map((r) => `${r.pattern} (${r.file})`);
  expect(unclassified, "Add a rule for these routes to ROUTE_RULES in lib/auth/access.ts").toEqual([]);
});

test.describe("every route as every visitor", () => {
  test.describe.configure({ timeout: 120_000 });

  test("answers the status its access rule requires", async ({ roleStates }) => {
    const contexts = await contextsFor(IDENTITIES, roleStates);
    const samples = await loadSamples();

    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const rule = matchRouteRule(route.pattern);
      if (!rule) continue; // reported by the classification test
      const { url, placeholder } = urlFor(route, samples);
      for (const method of route.methods) {
        for (const who of IDENTITIES) {
          const expected = expectation(route, rule.access, method, who, placeholder);
          if (expected === "skip") continue;
          const context = contexts.get(who);
          if (!context) throw new Error(`no context for ${who}`);
          const response = await send(context, method, url);
          const status = response.status();
          const where = `${method} ${url} as ${who}`;
          checked++;
          if (expected.notRefused) {
            if (status === 401 || status === 403 || status >= 500) failures.push(`${where}: got ${status}, expected a public answer`);
            continue;
          }
          if (!expected.status.includes(status)) {
            failures.push(`${where}: got ${status}, expected ${expected.status.join(" or ")} (${route.file})`);
            continue;
          }
          if (expected.location !== undefined) {
            const location = new URL(response.headers()["location"] ?? "", E2E_BASE_URL).pathname;
            const ok = expected.location === "/" ? location === "/" : location.startsWith(expected.location);
            if (!ok) failures.push(`${where}: redirected to ${location}, expected ${expected.location}`);
          }
          if (route.kind === "api" && (status === 401 || status === 403) && rule.access.kind === "signed-in") {
            const body: unknown = await response.json().catch(() => null);
            const shapeOk =
              typeof body === "object" && body !== null && "success" in body && body.success === false && "error" in body && typeof body.error === "object";
            if (!shapeOk) failures.push(`${where}: ${status} without the API error shape`);
          }
        }
      }
    }
    for (const context of contexts.values()) await context.dispose();
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(routes.length * 3);
  });
});

/**
 * Every parameter name the APIs read, each with a value no API accepts: a route that looked at
 * its parameters before the session would answer 400 (and name them) to a signed-out caller.
 */
const HOSTILE_QUERY = [
  "dimension", "range", "segments", "metric", "compare", "sort", "order", "marker", "window", "horizon", "cohort",
  "from", "to", "lead", "list", "manager", "plan", "region", "industry", "stage", "q", "page", "pageSize", "renewals",
]
  .map((name) => `${name}=%00not-valid-${name}`)
  .join("&");

test.describe("every signed-in route checks the session first", () => {
  test.describe.configure({ timeout: 120_000 });

  test("answers 401/403 before it reads parameters, path segments or the body", async ({ roleStates }) => {
    const contexts = await contextsFor(IDENTITIES.filter((who) => who !== "admin"), roleStates); // nobody is refused as an admin
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const rule = matchRouteRule(route.pattern);
      if (route.kind !== "api" || rule?.access.kind !== "signed-in") continue;
      // Every dynamic segment holds something no route accepts.
      const path = fillPattern(route.pattern, () => "%20not a valid id %25");
      if (path === null) throw new Error(`Cannot fill ${route.pattern}`);
      const url = `${path}?${HOSTILE_QUERY}`;
      for (const method of route.methods) {
        const needed = requiredRole(rule.access, method);
        for (const [who, context] of contexts) {
          const signedIn = who !== "signed-out" && who !== "forged";
          if (signedIn && needed !== null && hasRole({ role: who }, needed)) continue; // this one may read them
          const expected = signedIn ? 403 : 401;
          const response = await context.fetch(url, {
            method,
            maxRedirects: 0,
            failOnStatusCode: false,
            headers: { origin: E2E_BASE_URL, "content-type": "application/json" },
            data: method === "GET" || method === "HEAD" ? undefined : '{"not valid json',
          });
          checked++;
          if (response.status() !== expected) failures.push(`${method} ${url} as ${who}: got ${response.status()}, expected ${expected} (${route.file})`);
        }
      }
    }
    for (const context of contexts.values()) await context.dispose();
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(routes.filter((r) => r.kind === "api").length);
  });
});
