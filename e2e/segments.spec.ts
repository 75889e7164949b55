import { sql } from "drizzle-orm";
import { formatPercent, formatPoints } from "../lib/format";
import { withE2eDb } from "./db";
import { expect, test } from "./fixtures";

test("compare two plans side by side", async ({ page }) => {
  await page.goto("/segments");
  await expect(page.getByRole("heading", { level: 1, name: "Segments" })).toBeVisible();
  await expect(page.getByTestId("segments-view")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByText("Tick two or more segments")).toBeVisible();

  // The ticks live in the URL: each click updates it, and the box follows the URL.
  await page.getByRole("checkbox", { name: "Compare Starter" }).click();
  await expect(page.getByRole("checkbox", { name: "Compare Starter" })).toBeChecked();
  await page.getByRole("checkbox", { name: "Compare Growth" }).click();
  await expect(page.getByRole("checkbox", { name: "Compare Growth" })).toBeChecked();
  await expect(page).toHaveURL(/compare=Starter%2CGrowth/);

  const comparison = page.getByTestId("segment-comparison");
  await expect(comparison.getByRole("img", { name: "Mean score over 12 months for Starter, Growth" })).toBeVisible();
  await expect(comparison.locator(".recharts-line")).toHaveCount(2);
  await expect(comparison.getByRole("listitem").filter({ hasText: "Starter" })).toBeVisible();
  await expect(comparison.getByRole("listitem").filter({ hasText: "Growth" })).toBeVisible();

  // The choice lives in the URL: a reload shows the same comparison.
  await page.reload();
  await expect(page.getByTestId("segments-view")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("segment-comparison").locator(".recharts-line")).toHaveCount(2);
  await expect(page.getByRole("checkbox", { name: "Compare Growth" })).toBeChecked();
});

test("a plan's figures match the database", async ({ page }) => {
  const rows = await withE2eDb((db) =>
    db.all<{ score: number; band: string; declining: number }>(
      sql`SELECT s.score_hundredths AS score, s.band, s.declining FROM account_scores s JOIN accounts a ON a.id = s.account_id
           WHERE a.plan = 'Business' ORDER BY s.score_hundredths`,
    ),
  );
  const n = rows.length;
  const mean = rows.reduce((s, r) => s + r.score, 0) / n;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? (rows[mid]?.score ?? 0) : ((rows[mid - 1]?.score ?? 0) + (rows[mid]?.score ?? 0)) / 2;
  const churn = rows.filter((r) => r.band === "churn_risk").length / n;
  const declining = rows.filter((r) => r.declining === 1).length / n;

  await page.goto("/segments?dimension=plan");
  const row = page.getByTestId("segment-row-Business");
  await expect(row.getByTestId("segment-accounts")).toHaveText(String(n));
  await expect(row.getByTestId("segment-mean")).toHaveText(formatPoints(mean));
  await expect(row.getByTestId("segment-median")).toHaveText(formatPoints(median));
  await expect(row.getByTestId("segment-churn")).toHaveText(formatPercent(churn));
  await expect(row.getByTestId("segment-declining")).toHaveText(formatPercent(declining));
});

test("other dimensions and sorting come from the URL", async ({ page }) => {
  await page.goto("/segments");
  await expect(page.getByTestId("segments-view")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Split accounts by").selectOption("region");
  await expect(page).toHaveURL(/dimension=region/);
  await expect(page.getByTestId("segment-row-Europe")).toBeVisible();
  await page.getByRole("button", { name: "Mean" }).click();
  await expect(page).toHaveURL(/sort=mean/);
  const header = page.getByRole("columnheader", { name: "Mean" });
  await expect(header).toHaveAttribute("aria-sort", "descending");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("segments show as cards without horizontal scrolling", async ({ page }) => {
    await page.goto("/segments");
    await expect(page.getByTestId("segment-card-Starter")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
