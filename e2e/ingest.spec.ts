import { sql } from "drizzle-orm";
import type { Page } from "@playwright/test";
import { Analytics } from "@segment/analytics-node";
import { withE2eDb } from "./db";
import { expect, test } from "./fixtures";

/**
 * Write keys through the admin page, then the official Segment SDK against the running
 * production server. Writes only its own accounts (e2e-sdk-*), which no other spec reads.
 */
async function createKey(page: Page, label: string): Promise<string> {
  await page.goto("/admin/keys");
  await expect(page.getByRole("heading", { level: 1, name: "Write keys" })).toBeVisible();
  await page.getByLabel("Label for the new key").fill(label);
  await page.getByRole("button", { name: "Create key" }).click();
  const panel = page.getByTestId("new-key-panel");
  await expect(panel).toContainText(`Key “${label}” created`);
  const key = await page.getByTestId("new-key-value").inputValue();
  expect(key).toMatch(/^ces_[0-9A-Za-z]{40}$/);
  return key;
}

test("an admin creates a key, sees it once, and can revoke it", async ({ page, request }) => {
  const key = await createKey(page, "E2E revoke me");
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-key-panel")).toBeHidden();
  // The list shows only the prefix, never the key.
  const row = page.getByTestId("write-key-row").filter({ hasText: "E2E revoke me" });
  await expect(row).toContainText(key.slice(0, 12));
  await expect(page.getByText(key)).toHaveCount(0);

  const track = { event: "Report Created", userId: "e2e-revoke-user", context: { groupId: "e2e-revoke-co" } };
  const auth = { Authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` };
  expect((await request.post("/v1/track", { data: track, headers: auth })).status()).toBe(200);

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("alertdialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  const refused = await request.post("/v1/track", { data: track, headers: auth });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ success: false, error: { code: "invalid_write_key" } });

  const { audit, stored } = await withE2eDb(async (db) => ({
    audit: (await db.all<{ action: string }>(sql`SELECT action FROM audit_log WHERE target = ${`key:${key.slice(0, 12)}`} ORDER BY id`)).map((row) => row.action),
    stored: await db.value<number>(sql`SELECT count(*) FROM write_keys WHERE key_hash = ${key} OR label = ${key}`),
  }));
  expect(audit).toEqual(["key.create", "key.revoke"]);
  expect(stored).toBe(0);
});

test("the official Segment SDK's group, identify and track calls become events and scores", async ({ page, baseURL }) => {
  const key = await createKey(page, "E2E Segment SDK");
  const analytics = new Analytics({ writeKey: key, host: baseURL, flushAt: 50, flushInterval: 60_000, maxRetries: 0 });
  const now = Date.now();
  analytics.group({
    userId: "e2e-sdk-alice",
    groupId: "e2e-sdk-co",
    traits: { name: "SDK Test Co", plan: "Growth", industry: "Software", region: "EMEA", account_manager: "Ada Lovelace", renewal_date: "2027-06-30", arr: 42000, tags: ["sdk", "e2e"] },
  });
  analytics.identify({ userId: "e2e-sdk-bob", traits: { email: "bob@example.com" }, context: { groupId: "e2e-sdk-co" } });
  for (let i = 0; i < 6; i++) analytics.track({ userId: "e2e-sdk-alice", event: "Report Created", timestamp: new Date(now - (i + 1) * 3_600_000) });
  for (let i = 0; i < 5; i++) analytics.track({ userId: "e2e-sdk-bob", event: "Session Started", timestamp: new Date(now - (i + 1) * 86_400_000) });
  analytics.track({ userId: "e2e-sdk-bob", event: "Colleague Invited", timestamp: new Date(now - 7_200_000) });
  // A call with the group only in its properties.
  analytics.track({ anonymousId: "e2e-sdk-anon", event: "Report Created", properties: { groupId: "e2e-sdk-co" }, timestamp: new Date(now - 60_000) });
  await analytics.closeAndFlush({ timeout: 20_000 });

  const { account, events, tags, score, weights } = await withE2eDb(async (db) => {
    const account = await db.get<{ id: number; name: string }>(
      sql`SELECT id, name, plan, industry, region, account_manager AS manager, renewal_date AS renewal, arr FROM accounts WHERE external_id = 'e2e-sdk-co'`,
    );
    const id = account?.id ?? -1;
    return {
      account,
      events: await db.all<{ key: string; n: number }>(
        sql`SELECT t.key, count(*) AS n FROM events e JOIN event_types t ON t.id = e.type_id WHERE e.account_id = ${id} GROUP BY t.key ORDER BY t.key`,
      ),
      tags: (await db.all<{ tag: string }>(sql`SELECT tag FROM account_tags WHERE account_id = ${id} ORDER BY tag`)).map((row) => row.tag),
      score: await db.get(sql`SELECT score_hundredths AS score, band FROM account_scores WHERE account_id = ${id}`),
      weights: await db.all<{ key: string; w: number }>(sql`SELECT key, weight_hundredths AS w FROM event_types WHERE key IN ('report_created', 'session_started', 'colleague_invited')`),
    };
  });

  expect(account).toMatchObject({ name: "SDK Test Co", plan: "Growth", industry: "Software", region: "EMEA", manager: "Ada Lovelace", renewal: "2027-06-30", arr: 42000 });
  expect(tags).toEqual(["e2e", "sdk"]);
  expect(events).toEqual([
    { key: "colleague_invited", n: 1 },
    { key: "report_created", n: 7 },
    { key: "session_started", n: 5 },
  ]);
  // The demo weights: report 2, session 1.2, invitation 4 → 7 × 2 + 5 × 1.2 + 4 = 24 points.
  const w = Object.fromEntries(weights.map((r) => [r.key, r.w]));
  expect(w).toEqual({ report_created: 200, session_started: 120, colleague_invited: 400 });
  expect(score).toEqual({ score: 2400, band: "low" });
});
