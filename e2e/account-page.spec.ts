import { demoUser } from "@/lib/demo/users";
import { sql } from "drizzle-orm";
import { withE2eDb } from "./db";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

/** Opens an account page and waits until the browser has taken over (handlers attached). */
async function openAccount(page: Page, id: number): Promise<void> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`/accounts/${id}`);
  await expect(page.getByTestId("account-actions")).toHaveAttribute("data-ready", "true");
  expect(errors, "the page hydrates without errors (server and browser render the same)").toEqual([]);
}

/** "−1,234.5" as the page writes it → −1234.5. */
function points(text: string | null): number {
  return Number((text ?? "").replace(/\u2212/g, "-").replace(/,/g, "").trim());
}

/** An account whose current window mixes many event types, at least one of them negative. */
async function richAccount(): Promise<{ id: number; name: string; score: number; previous: number }> {
  const account = await withE2eDb((db) =>
    db.get<{ id: number; name: string; score: number; previous: number }>(
      sql`SELECT a.id, a.name, s.score_hundredths AS score, s.previous_hundredths AS previous
            FROM accounts a JOIN account_scores s ON s.account_id = a.id
           WHERE a.id = (
             SELECT r.account_id FROM daily_rollups r
               JOIN event_types t ON t.id = r.type_id
               JOIN account_scores s2 ON s2.account_id = r.account_id
               JOIN scoring_settings c ON c.id = 1
              WHERE r.day BETWEEN s2.as_of_day - c.window_days + 1 AND s2.as_of_day
              GROUP BY r.account_id
             HAVING sum(CASE WHEN t.weight_hundredths < 0 THEN 1 ELSE 0 END) > 0
              ORDER BY count(DISTINCT r.type_id) DESC, r.account_id LIMIT 1)`,
    ),
  );
  if (!account) throw new Error("the demo has no account with a negative event type in its window");
  return account;
}

test("an account's contributions add up to the score shown", async ({ page }) => {
  const account = await richAccount();
  await openAccount(page, account.id);
  await expect(page.getByRole("heading", { level: 1, name: account.name })).toBeVisible();

  const cells = page.getByTestId("contribution-points");
  expect(await cells.count()).toBeGreaterThanOrEqual(3);
  const parts = (await cells.allTextContents()).map(points);
  const sum = Math.round(parts.reduce((s, p) => s + p, 0) * 100);
  const total = await page.getByTestId("contributions-total").textContent();

  expect(sum).toBe(account.score); // in hundredths, exactly
  expect(Math.round(points(total) * 100)).toBe(account.score);
  // The header shows the same score (to one decimal).
  expect(points(await page.getByTestId("account-score").textContent())).toBeCloseTo(account.score / 100, 1);
  // Largest first, negatives in red.
  const magnitudes = parts.map(Math.abs);
  expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
  const negative = page.locator('[data-testid="contribution"][data-points^="-"] [data-testid="contribution-points"]').first();
  await expect(negative).toHaveClass(/text-red-700/);

  // Why it moved: the per-type changes add up to the change since 30 days ago.
  const deltas = await page.getByTestId("movement-line").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-delta"))));
  expect(deltas.reduce((s, d) => s + d, 0)).toBe(account.score - account.previous);
});

test("the account page draws the score history with the change markers", async ({ page }) => {
  const account = await richAccount();
  await openAccount(page, account.id);
  const chart = page.getByTestId("score-history-chart");
  await expect(chart.locator(".recharts-line-curve")).toBeVisible();
  await expect(chart.getByText("Documentation overhaul")).toBeVisible();
  await expect(page.getByRole("list", { name: "Change markers" })).toContainText("Documentation overhaul");
  await expect(page.getByTestId("event-activity")).toBeVisible();
  await expect(page.getByTestId("latest-events").getByRole("row")).not.toHaveCount(0);
});

test("a note added on the account page is kept for the team", async ({ page }) => {
  const account = await richAccount();
  await openAccount(page, account.id);
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByText("Write the note first.")).toBeVisible();
  await page.getByLabel("Add a note").fill("Champion moved teams; ask for an intro to the new owner.");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByTestId("activity-log")).toContainText("Champion moved teams");
  await page.reload();
  await expect(page.getByTestId("activity-log")).toContainText(`Note by ${demoUser("admin").name}`);
});

test("an unknown account shows the not-found page, and the API answers 404", async ({ page, request }) => {
  const response = await page.goto("/accounts/999999");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Account not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to the call lists" })).toBeVisible();
  expect((await request.get("/api/accounts/999999")).status()).toBe(404);
  expect((await request.get("/api/accounts/abc")).status()).toBe(404);
  const bad = await request.post("/api/accounts/1/contacts", { data: { outcome: "carrier pigeon" } });
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ error: { field: "outcome" } });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the account page fits the screen", async ({ page }) => {
    const account = await richAccount();
    await openAccount(page, account.id);
    await expect(page.getByTestId("account-score")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
  });
});
