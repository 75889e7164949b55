import { openE2eDatabase } from "./db";
import { expect, test } from "./fixtures";

test("the documentation overhaul shows a significant positive effect for new accounts", async ({ page }) => {
  const db = openE2eDatabase();
  const marker = db.prepare("SELECT id FROM change_markers WHERE title = 'Documentation overhaul'").pluck().get() as number;
  db.close();

  await page.goto(`/trends/compare?marker=${marker}`);
  await expect(page.getByRole("heading", { level: 1, name: "Before / after a change" })).toBeVisible();
  await expect(page.getByRole("region", { name: "The change" })).toContainText("Documentation overhaul");

  const verdict = page.getByTestId("cohort-verdict");
  await expect(verdict).toHaveAttribute("data-kind", "higher");
  await expect(verdict).toContainText("Accounts that signed up after the change scored");
  await expect(verdict).toContainText("higher 30 days after signup");
  await expect(page.getByTestId("cohort-chart").locator(".recharts-line")).toHaveCount(2);

  // Every segment row carries a verdict; none claims an effect on groups that are too small.
  const rows = page.getByTestId("before-after-table").getByTestId("verdict");
  await expect(rows.first()).toBeVisible();
  for (const cell of await rows.all()) {
    const kind = await cell.getAttribute("data-kind");
    const text = (await cell.textContent()) ?? "";
    if (kind === "too_small") expect(text).toContain("Too few accounts to tell");
    if (kind === "no_clear_difference") expect(text).toContain("includes zero");
  }
});

test("small windows refuse to judge instead of guessing", async ({ page }) => {
  await page.goto("/trends/compare");
  await expect(page.getByTestId("compare-view")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "30 d" }).click();
  await expect(page).toHaveURL(/window=30/);
  await expect(page.getByTestId("cohort-verdict")).toHaveAttribute("data-kind", "too_small");
  await expect(page.getByTestId("cohort-verdict")).toContainText("Too few accounts to tell");
});

test("a marker that no longer exists says so and offers the others", async ({ page }) => {
  await page.goto("/trends/compare?marker=987654");
  await expect(page.getByRole("heading", { name: "That change marker no longer exists" })).toBeVisible();
  await expect(page.getByLabel("Change", { exact: true })).toContainText("Documentation overhaul");
});
