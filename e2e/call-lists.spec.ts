import fs from "node:fs";
import { sql } from "drizzle-orm";
import { demoUser } from "@/lib/demo/users";
import { withE2eDb } from "./db";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const DAY_MS = 86_400_000;
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const count = (n: number) => new Intl.NumberFormat("en-US").format(n);

/** Opens a list and waits until the browser has taken over (handlers attached). */
async function openList(page: Page, url: string): Promise<void> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await expect(page.getByTestId("call-lists")).toHaveAttribute("data-ready", "true");
  expect(errors, "the page hydrates without errors (server and browser render the same)").toEqual([]);
}

/**
 * The day the server listed the accounts for (data-today on the loaded list): the expected
 * rows are computed for that day, never for the test's own clock, which may have passed a
 * UTC midnight since.
 */
async function listedDay(page: Page): Promise<number> {
  const body = page.getByTestId("list-body");
  await expect(body).toHaveAttribute("aria-busy", "false");
  await expect(body).toHaveAttribute("data-today", /^\d{4}-\d{2}-\d{2}$/);
  const today = await body.getAttribute("data-today");
  return Math.floor(Date.parse(today ?? "") / DAY_MS);
}

/** On the tier lists: not churned (no longer a customer) and not "not active yet" (onboarding). */
const WORKED = sql`a.stage <> 'churned' AND s.activity <> 'not_active_yet'`;

/** The 40–80 accounts renewing within 90 days, not snoozed, soonest first (the list's rule). */
async function renewalsDue(t: number): Promise<{ id: number; name: string }[]> {
  return withE2eDb((db) =>
    db.all<{ id: number; name: string }>(
      sql`SELECT a.id, a.name FROM account_scores s JOIN accounts a ON a.id = s.account_id
           WHERE s.band = 'medium' AND ${WORKED} AND a.renewal_date BETWEEN ${iso(t)} AND ${iso(t + 90)}
             AND NOT EXISTS (SELECT 1 FROM account_snoozes z WHERE z.account_id = a.id AND z.until > ${iso(t)})
           ORDER BY a.renewal_date, a.id`,
    ),
  );
}

test("the 40–80 list filtered to renewals within 90 days matches the database", async ({ page }) => {
  // Start from the whole tier, then narrow it with the toggle, as an account manager would.
  await openList(page, "/accounts?scope=all");
  const toggle = page.getByRole("checkbox", { name: "Renewals in the next 90 days only" });
  await expect(toggle).not.toBeChecked();
  await page.getByText("Renewals in the next 90 days only").click();
  await expect(toggle).toBeChecked();
  await expect(page).toHaveURL(/\/accounts$/);
  const expected = await renewalsDue(await listedDay(page));
  expect(expected.length).toBeGreaterThan(25); // the demo data fills more than one page
  await expect(page.getByTestId("list-headline")).toContainText(`${count(expected.length)} renew within 90 days`);

  const rows = page.getByTestId("call-list-row");
  await expect(rows).toHaveCount(25);
  const ids = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-account-id"))));
  expect(ids).toEqual(expected.slice(0, 25).map((r) => r.id));
  await expect(page.getByTestId("list-range")).toHaveText(`1–25 of ${count(expected.length)}`);

  // The second page continues where the first stopped.
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(rows.first()).toHaveAttribute("data-account-id", String(expected[25]?.id));
});

test("the overview's band links open the band's list with the same count", async ({ page }) => {
  await page.goto("/");
  const card = page.getByTestId("band-count-churn_risk");
  const n = Number(await card.getAttribute("data-count"));
  await page.getByRole("link", { name: "Churn risk", exact: true }).click();
  // Everyone's accounts, snoozed ones included: the overview counts them all.
  await expect(page).toHaveURL(/\/accounts\?band=churn_risk&manager=all&snoozed=1$/);
  await expect(page.getByTestId("call-lists")).toHaveAttribute("data-ready", "true");
  await expect(page.getByRole("heading", { level: 2, name: /Low engagement/ })).toBeVisible();
  await expect(page.getByTestId("list-headline")).toContainText(`${count(n)} account`);
  // Churn-risk accounts are flagged.
  await expect(page.getByTestId("call-list-row").first().getByTestId("churn-flag")).toBeVisible();
});

test("sorting by a column puts the URL and the rows in that order", async ({ page }) => {
  await openList(page, "/accounts?list=low");
  await page.getByRole("button", { name: /^ARR/ }).click();
  await expect(page).toHaveURL(/list=low&sort=arr$/);
  const day = await listedDay(page);
  const top = await withE2eDb(async (db) =>
    (
      await db.all<{ id: number }>(
        sql`SELECT a.id FROM account_scores s JOIN accounts a ON a.id = s.account_id
             WHERE s.band IN ('low', 'churn_risk') AND ${WORKED} AND NOT EXISTS (SELECT 1 FROM account_snoozes z WHERE z.account_id = a.id AND z.until > ${iso(day)})
             ORDER BY a.arr IS NULL, a.arr DESC, a.id LIMIT 3`,
      )
    ).map((row) => row.id),
  );

  await expect(page.getByRole("columnheader", { name: /ARR/ })).toHaveAttribute("aria-sort", "descending");
  const ids = await page
    .getByTestId("call-list-row")
    .evaluateAll((els) => els.slice(0, 3).map((e) => Number(e.getAttribute("data-account-id"))));
  expect(ids).toEqual(top);
  // Back returns to the recommended order.
  await page.goBack();
  await expect(page).toHaveURL(/list=low$/);
  await expect(page.getByTestId("list-headline")).toContainText("Churn risk");
});

test("exporting the list downloads every filtered row in list order", async ({ page }) => {
  await openList(page, "/accounts?list=low");
  await page.getByLabel("Plan", { exact: true }).selectOption("Growth");
  await expect(page).toHaveURL(/list=low&plan=Growth$/);
  const day = await listedDay(page);
  const expected = await withE2eDb(async (db) =>
    (
      await db.all<{ name: string }>(
        sql`SELECT a.name FROM account_scores s JOIN accounts a ON a.id = s.account_id
             WHERE s.band IN ('low', 'churn_risk') AND ${WORKED} AND a.plan = 'Growth'
               AND NOT EXISTS (SELECT 1 FROM account_snoozes z WHERE z.account_id = a.id AND z.until > ${iso(day)})
             ORDER BY CASE WHEN s.band = 'churn_risk' THEN 0 ELSE 1 END, s.score_hundredths, a.id`,
      )
    ).map((row) => row.name),
  );

  await expect(page.getByTestId("list-headline")).toContainText(`${count(expected.length)} account`);

  const downloading = page.waitForEvent("download");
  await page.getByTestId("export-csv").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^call-list-low-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = fs.readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
  const lines = text.split("\r\n").filter((l) => l !== "");
  expect(lines[0]).toMatch(/^Account,External ID,Score,Band,/);
  expect(lines).toHaveLength(expected.length + 1);
  // Names are plain demo company names (no commas or quotes): the first cell is the name.
  expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(expected);
  expect(lines.slice(1).every((l) => l.includes(",Growth,"))).toBe(true);
});

test("logging a contact shows it as the account's last contact on the list", async ({ page }) => {
  await openList(page, "/accounts?list=trials");
  const row = page.getByTestId("call-list-row").first();
  const name = (await row.getByRole("link").first().textContent()) ?? "";
  await expect(row.getByTestId("row-last-contact")).toHaveText("Never");

  await row.getByRole("button", { name: `Log contact with ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: "Log contact" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Log contact" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Choose how the contact went.");
  await dialog.getByText("Voicemail").click();
  await dialog.getByLabel(/Note/).fill("Left a message about the trial's end.");
  await dialog.getByRole("button", { name: "Log contact" }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("notice")).toContainText(`Contact with ${name} logged: voicemail.`);
  await expect(row.getByTestId("row-last-contact")).toContainText("today");
  await expect(row.getByTestId("row-last-contact")).toContainText("Voicemail");

  // Stored for the team, with who and what, and shown on the account page.
  const stored = await withE2eDb((db) =>
    db.get(sql`SELECT c.outcome, c.user_name AS "by", c.note FROM account_contacts c JOIN accounts a ON a.id = c.account_id WHERE a.name = ${name}`),
  );
  expect(stored).toEqual({ outcome: "voicemail", by: demoUser("admin").name, note: "Left a message about the trial's end." });
  await row.getByRole("link", { name }).click();
  await expect(page.getByTestId("activity-log")).toContainText("Left a message about the trial's end.");
});

test("a snoozed account leaves the list until it is shown or put back", async ({ page }) => {
  await openList(page, "/accounts?list=drops");
  const rows = page.getByTestId("call-list-row");
  const first = rows.first();
  const id = await first.getAttribute("data-account-id");
  const name = (await first.getByRole("link").first().textContent()) ?? "";
  const before = await page.getByTestId("list-count-drops").textContent();

  await first.getByRole("button", { name: `Snooze ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: "Snooze account" });
  await dialog.getByRole("button", { name: "1 week" }).click();
  await dialog.getByRole("button", { name: "Snooze", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator(`[data-testid="call-list-row"][data-account-id="${id}"]`)).toHaveCount(0);
  await expect(page.getByTestId("list-count-drops")).not.toHaveText(before ?? "");

  await page.getByText(/^Show snoozed/).click();
  const snoozed = page.locator(`[data-testid="call-list-row"][data-account-id="${id}"]`);
  await expect(snoozed.getByTestId("snoozed-badge")).toBeVisible();

  // Put it back, so the other specs see the list as seeded.
  await snoozed.getByRole("button", { name: `Change snooze ${name}` }).click();
  await page.getByRole("dialog", { name: "Snoozed account" }).getByRole("button", { name: "Put back now" }).click();
  await expect(page.getByTestId("notice")).toContainText(`${name} is back on the call lists.`);
  await expect(snoozed.getByTestId("snoozed-badge")).toHaveCount(0);
  await expect(page.getByTestId("list-count-drops")).toHaveText(before ?? "");
});

test("the list API names the field at fault and the export rejects bad input", async ({ request }) => {
  const bad = await request.get("/api/accounts?size=30");
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ success: false, error: { code: "invalid_request", field: "size" } });
  const badExport = await request.get("/api/accounts/export?list=everything");
  expect(badExport.status()).toBe(400);
  const ok = await request.get("/api/accounts?list=upsell&sort=arr");
  expect(ok.status()).toBe(200);
  const body = (await ok.json()) as { rows: { band: string; stage: string }[]; total: number };
  expect(body.rows.every((r) => (r.band === "high" || r.band === "power") && r.stage === "customer")).toBe(true);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the lists show as cards without sideways scrolling, each row drawn once", async ({ page }) => {
    await openList(page, "/accounts?list=low");
    const rows = page.getByTestId("call-list-row");
    const first = rows.first();
    await expect(first).toBeVisible();
    // One markup for every screen: the column headers give way to labels in each card, and the
    // row actions carry their words.
    await expect(page.getByTestId("call-list-table").locator("thead")).toBeHidden();
    await expect(first.getByText("Last contact", { exact: true })).toBeVisible();
    await expect(first.getByRole("button", { name: /^Log contact with / })).toContainText("Log contact");
    // Each account is drawn once (there used to be a hidden table beside the cards).
    const count = await rows.count();
    expect(count).toBeGreaterThan(1);
    await expect(page.locator('main a[href^="/accounts/"]')).toHaveCount(count);
    const box = await first.boundingBox();
    expect(box?.width ?? 0).toBeLessThanOrEqual(390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    // Filters fold away behind a button.
    await expect(page.getByLabel("Plan", { exact: true })).toBeHidden();
    await page.getByRole("button", { name: "Filters" }).click();
    await expect(page.getByLabel("Plan", { exact: true })).toBeVisible();
  });
});
