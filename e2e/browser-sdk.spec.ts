import type { Page, Response } from "@playwright/test";
import { sql } from "drizzle-orm";
import { startCustomerSite, type CustomerSite } from "./customer-site";
import { withE2eDb } from "./db";
import { E2E_BASE_URL, expect, test } from "./fixtures";

/**
 * Segment's browser library, @segment/analytics-next, loaded the two standard ways on a
 * customer's page served from another origin, with nothing but a write key and this server's
 * address: the npm package (`AnalyticsBrowser.load({ writeKey, cdnURL })`) and Segment's
 * snippet. The page's identify, group, track, page and trackLink calls must be stored, the
 * page must log no error, and nothing may go anywhere but the two origins (no Segment CDN,
 * no api.segment.io, no usage reports). Writes only its own accounts (e2e-web-*).
 */

/** What the customer's page does (the same on both pages); `run` keeps each page's data apart. */
const PAGE_SCRIPT = `
const run = new URLSearchParams(location.search).get("run");
analytics.identify(run + "-ann", { email: "ann@example.com", company: { id: run + "-co", name: "Web Co " + run } });
analytics.group(run + "-co", { plan: "Enterprise", industry: "Software", renewal_date: "2027-09-30", arr: 50000 });
analytics.track("Report Created", { report: "Weekly" });
analytics.page("Pricing");
analytics.trackLink(document.getElementById("pricing"), "Pricing Clicked");
`;

let writeKey = "";
let site: CustomerSite;

test.beforeAll(async ({ playwright, roleStates }) => {
  const admin = await playwright.request.newContext({ baseURL: E2E_BASE_URL, storageState: await roleStates("admin") });
  const created = await admin.post("/api/admin/keys", { data: { label: "E2E browser site" } });
  expect(created.status()).toBe(201);
  writeKey = ((await created.json()) as { key: string }).key;
  await admin.dispose();
  site = await startCustomerSite({ serverOrigin: E2E_BASE_URL, writeKey, script: PAGE_SCRIPT });
});

test.afterAll(async () => {
  await site.close();
});

interface PageWatch {
  problems: string[];
  hosts: Set<string>;
  responses: Response[];
}

/** Collects what a customer would see go wrong: console errors and warnings, page errors, failed requests. */
function watch(page: Page): PageWatch {
  const seen: PageWatch = { problems: [], hosts: new Set(), responses: [] };
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") seen.problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => seen.problems.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? "?"})`));
  page.on("request", (request) => seen.hosts.add(new URL(request.url()).host));
  page.on("response", (response) => {
    seen.responses.push(response);
    if (response.status() >= 400) seen.problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return seen;
}

/** Resolves when the server has answered the page's call of this kind whose body contains `text`. */
function delivered(page: Page, call: "i" | "g" | "t" | "p", text: string): Promise<Response> {
  return page.waitForResponse((r) => r.url() === `${E2E_BASE_URL}/v1/${call}` && r.request().method() === "POST" && (r.request().postData() ?? "").includes(text));
}

async function stored(run: string) {
  return withE2eDb(async (db) => {
    const account = await db.get<{ id: number; name: string; plan: string; industry: string; renewal: string; arr: number }>(
      sql`SELECT id, name, plan, industry, renewal_date AS renewal, arr FROM accounts WHERE external_id = ${`${run}-co`}`,
    );
    const linked = (
      await db.all<{ userId: string }>(
        sql`SELECT l.user_id AS "userId" FROM user_links l JOIN accounts a ON a.id = l.account_id WHERE a.external_id = ${`${run}-co`} ORDER BY l.user_id`,
      )
    ).map((row) => row.userId);
    const events = await db.all<{ key: string; n: number }>(
      sql`SELECT t.key, count(*) AS n FROM events e JOIN event_types t ON t.id = e.type_id WHERE e.account_id = ${account?.id ?? -1} GROUP BY t.key ORDER BY t.key`,
    );
    const waiting = (await db.value<number>(sql`SELECT count(*) FROM pending_events WHERE user_id = ${`${run}-ann`}`)) ?? 0;
    return { account, linked, events, waiting };
  });
}

for (const way of ["npm", "snippet"] as const) {
  test(`analytics.js loaded with ${way === "npm" ? "AnalyticsBrowser.load({ writeKey, cdnURL })" : "Segment's snippet"} from another origin stores identify, group, track and page`, async ({ page }) => {
    const run = `e2e-web-${way}`;
    const seen = watch(page);
    const calls = Promise.all([
      delivered(page, "i", `${run}-ann`),
      delivered(page, "g", `${run}-co`),
      delivered(page, "t", "Report Created"),
      delivered(page, "p", "Pricing"),
    ]);
    const query = new URLSearchParams({ run, writeKey, cdnURL: E2E_BASE_URL });
    await page.goto(`${site.origin}/${way}.html?${query.toString()}`);
    for (const response of await calls) expect(response.status(), response.url()).toBe(200);

    // trackLink loads a part of the library on demand (from this server, for the snippet).
    const click = delivered(page, "t", "Pricing Clicked");
    await page.getByRole("link", { name: "Pricing" }).click();
    expect((await click).status()).toBe(200);

    expect(await stored(run)).toEqual({
      account: { id: expect.any(Number), name: `Web Co ${run}`, plan: "Enterprise", industry: "Software", renewal: "2027-09-30", arr: 50000 },
      linked: expect.arrayContaining([`${run}-ann`]),
      events: [
        { key: "page_viewed", n: 1 },
        { key: "pricing_clicked", n: 1 },
        { key: "report_created", n: 1 },
      ],
      waiting: 0,
    });

    // The settings came from this server, which is the only place the page talked to.
    const settings = seen.responses.find((r) => r.url() === `${E2E_BASE_URL}/v1/projects/${writeKey}/settings`);
    expect(settings?.status()).toBe(200);
    expect(await settings?.json()).toMatchObject({ integrations: { "Segment.io": { apiHost: `${new URL(E2E_BASE_URL).host}/v1`, protocol: "http" } } });
    expect([...seen.hosts].sort()).toEqual([new URL(E2E_BASE_URL).host, new URL(site.origin).host].sort());
    if (way === "snippet") {
      const library = seen.responses.filter((r) => r.url().startsWith(`${E2E_BASE_URL}/analytics`)).map((r) => `${r.status()} ${new URL(r.url()).pathname.replace(/\.[0-9a-f]{20}\.js$/, ".js")}`);
      expect(library).toEqual([`200 /analytics.js/v1/${writeKey}/analytics.min.js`, "200 /analytics-next/bundles/auto-track.bundle.js"]);
    }
    expect(seen.problems).toEqual([]);
  });
}
