import type { Page } from "@playwright/test";
import { openE2eDatabase } from "./db";
import { expect, test } from "./fixtures";

function stored<T>(sql: string, ...params: unknown[]): T {
  const db = openE2eDatabase();
  const value = db.prepare(sql).pluck().get(...params) as T;
  db.close();
  return value;
}

async function tierRate(page: Page, tier: "high" | "medium" | "low") {
  const row = page.getByTestId(`tier-rate-${tier}`);
  return { rate: Number(await row.getAttribute("data-rate")), n: Number(await row.getAttribute("data-n")) };
}

test("the validation page shows renewal rates rising by tier and an AUC well above 0.5", async ({ page }) => {
  await page.goto("/insights");
  await expect(page.getByRole("heading", { level: 1, name: "Does the score predict renewal?" })).toBeVisible();

  const high = await tierRate(page, "high");
  const medium = await tierRate(page, "medium");
  const low = await tierRate(page, "low");
  for (const tier of [high, medium, low]) expect(tier.n).toBeGreaterThanOrEqual(20);
  expect(high.rate).toBeGreaterThan(medium.rate);
  expect(medium.rate).toBeGreaterThan(low.rate);
  const auc = Number(await page.getByTestId("insights-auc").getAttribute("data-auc"));
  expect(auc).toBeGreaterThan(0.65);
  await expect(page.getByTestId("insights-summary")).toContainText("Renewal rates rise from tier to tier");

  // The counts are the database's: outcomes of the year up to the scores' as-of day, scored 90 days ahead.
  const asOf = stored<number>("SELECT max(as_of_day) FROM account_scores");
  const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
  const outcomes = stored<number>("SELECT count(*) FROM renewal_outcomes WHERE renewal_date BETWEEN ? AND ?", iso(asOf - 364), iso(asOf));
  const scorable = stored<number>("SELECT count(*) FROM renewal_outcomes WHERE renewal_date BETWEEN ? AND ?", iso(asOf - 364 + 90), iso(asOf));
  expect(high.n + medium.n + low.n).toBe(scorable);
  await expect(page.getByTestId("insights-unscored")).toContainText(`${new Intl.NumberFormat("en-US").format(outcomes - scorable)} of ${new Intl.NumberFormat("en-US").format(outcomes)} renewals cannot be scored`);

  // Reading the score 30 days ahead scores more of the year's renewals; the choice is in the URL.
  await page.getByRole("group", { name: "Days before the renewal" }).getByRole("button", { name: "30 days before" }).click();
  await expect(page).toHaveURL(/lead=30/);
  await expect(page.getByTestId("insights-scored")).toContainText(
    new Intl.NumberFormat("en-US").format(stored<number>("SELECT count(*) FROM renewal_outcomes WHERE renewal_date BETWEEN ? AND ?", iso(asOf - 364 + 30), iso(asOf))),
  );
});

test("an admin loads the suggested weights into the editor's preview; nothing changes until saved", async ({ page }) => {
  const version = stored<number>("SELECT config_version FROM scoring_settings");
  const sessionWeight = stored<number>("SELECT weight_hundredths FROM event_types WHERE key = 'session_started'");
  await page.goto("/insights");
  const suggestion = page.getByTestId("suggested-weights");
  await expect(suggestion).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("suggested-auc")).toHaveText(/^0\.\d\d \(0\.\d\d–[01]\.\d\d\)$/);
  const suggested = (await suggestion.getByRole("row", { name: /^Session started/ }).getByRole("cell").nth(1).innerText()).trim().replace("\u2212", "-");

  await page.getByRole("link", { name: "Load into the weights editor" }).click();
  await expect(page).toHaveURL(/\/admin\/weights$/);
  await expect(page.getByTestId("suggestion-loaded")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Weight of Session started" })).toHaveValue(suggested);
  await expect(page.getByText("Unsaved changes. Preview their impact before saving.")).toBeVisible();

  await page.getByRole("button", { name: "Preview impact" }).click();
  await expect(page.getByRole("heading", { name: "Impact of your changes" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Save and recompute scores" })).toBeVisible();
  // Previewing stored nothing.
  expect(stored<number>("SELECT config_version FROM scoring_settings")).toBe(version);
  expect(stored<number>("SELECT weight_hundredths FROM event_types WHERE key = 'session_started'")).toBe(sessionWeight);

  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(page.getByTestId("suggestion-loaded")).toHaveCount(0);
  await expect(page.getByRole("textbox", { name: "Weight of Session started" })).toHaveValue(String(sessionWeight / 100));
});

test.describe("as a viewer", () => {
  test.use({ role: "viewer" });

  test("reads the validation and the suggestion, without a way to load it", async ({ page }) => {
    await page.goto("/insights");
    await expect(page.getByTestId("suggested-weights")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole("link", { name: "Load into the weights editor" })).toHaveCount(0);
    await expect(page.getByText("An administrator can load these into the weights editor")).toBeVisible();
  });
});

test("the insights API names a bad parameter", async ({ request }) => {
  const response = await request.get("/api/insights?lead=45");
  expect(response.status()).toBe(400);
  expect(await response.json()).toMatchObject({ success: false, error: { code: "invalid_request", field: "lead" } });
  const dates = await request.get("/api/insights?from=2026-05-01&to=2026-01-01");
  expect(await dates.json()).toMatchObject({ error: { field: "from" } });
});
