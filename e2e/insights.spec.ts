import { sql } from "drizzle-orm";
import type { Page } from "@playwright/test";
import { storedValue, withE2eDb } from "./db";
import { expect, test } from "./fixtures";

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
  const asOf = await storedValue<number>(sql`SELECT max(as_of_day) FROM account_scores`);
  const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
  const outcomes = await storedValue<number>(sql`SELECT count(*) FROM renewal_outcomes WHERE renewal_date BETWEEN ${iso(asOf - 364)} AND ${iso(asOf)}`);
  const scorable = await storedValue<number>(sql`SELECT count(*) FROM renewal_outcomes WHERE renewal_date BETWEEN ${iso(asOf - 364 + 90)} AND ${iso(asOf)}`);
  expect(high.n + medium.n + low.n).toBe(scorable);
  await expect(page.getByTestId("insights-unscored")).toContainText(
    `${new Intl.NumberFormat("en-US").format(outcomes - scorable)} of ${new Intl.NumberFormat("en-US").format(outcomes)} accounts up for renewal cannot be scored`,
  );
  // The page names the playbook, and never calls churned accounts renewals.
  await expect(page.getByTestId("insights-view")).not.toContainText(/brief/i);
  await expect(page.getByRole("table", { name: "Renewal rate by tier" })).toContainText("Playbook");

  // Reading the score 30 days ahead scores more of the year's renewals; the choice is in the URL.
  await page.getByRole("group", { name: "Days before the renewal" }).getByRole("button", { name: "30 days before" }).click();
  await expect(page).toHaveURL(/lead=30/);
  await expect(page.getByTestId("insights-scored")).toContainText(
    new Intl.NumberFormat("en-US").format(await storedValue<number>(sql`SELECT count(*) FROM renewal_outcomes WHERE renewal_date BETWEEN ${iso(asOf - 364 + 30)} AND ${iso(asOf)}`)),
  );
});

test("an admin loads the suggested weights into the editor's preview; nothing changes until saved", async ({ page }) => {
  // The demo's 500 accounts have too few renewals for most effects to be clear: those are
  // marked unclear and would keep their weights.
  await page.goto("/insights");
  await expect(page.getByTestId("suggested-weights")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("suggestion-unclear")).toBeVisible();

  // A renewal 60 days from now for 80 new accounts, read 60 days ahead (so the score and the
  // window are today's): the accounts that held onboarding calls renew, the others churn. Onboarding calls are a new event type, weight 0, so the current
  // score cannot see what decides these renewals; the suggestion can.
  const asOf = await storedValue<number>(sql`SELECT max(as_of_day) FROM account_scores`);
  const renewal = new Date((asOf + 60) * 86_400_000).toISOString().slice(0, 10);
  const created = await page.request.post("/api/admin/keys", { data: { label: "e2e onboarding" } });
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: string };
  const accounts = Array.from({ length: 80 }, (_, i) => ({ id: `e2e-onboarding-${i}`, calls: i % 2 === 0 ? 1 + (i % 3) : 0, sessions: 1 + ((i * 7) % 11) }));
  // The events fall on the scores' as-of day (the day the server reads them for), even if a UTC
  // midnight passes during the test: the latest moment of that day, or now if earlier.
  const now = Math.min(Date.now(), (asOf + 1) * 86_400_000 - 1);
  const events = accounts.flatMap(({ id, calls, sessions }) => [
    ...Array.from({ length: calls }, (_, k) => ({ messageId: `${id}-call-${k}`, accountId: id, event: "Onboarding Call Held", timestamp: new Date(now - (k + 1) * 60_000).toISOString() })),
    ...Array.from({ length: sessions }, (_, k) => ({ messageId: `${id}-session-${k}`, accountId: id, event: "Session Started", timestamp: new Date(now - (k + 1) * 60_000).toISOString() })),
  ]);
  const sentEvents = await page.request.post("/api/v1/events", { headers: { authorization: `Bearer ${key}` }, data: { events } });
  expect(sentEvents.status()).toBe(200);
  const sent = await page.request.post("/api/v1/outcomes", {
    headers: { authorization: `Bearer ${key}` },
    // One in five goes the other way, in both groups (a perfect split would make the fit's effect infinite, hence unclear).
    data: { outcomes: accounts.map(({ id, calls }, i) => ({ accountId: id, renewalDate: renewal, outcome: (calls > 0) !== (i % 10 === 3 || i % 10 === 4) ? "renewed" : "churned" })) },
  });
  expect(sent.status()).toBe(200);

  const version = await storedValue<number>(sql`SELECT config_version FROM scoring_settings`);
  const sessionWeight = await storedValue<number>(sql`SELECT weight_hundredths FROM event_types WHERE key = 'session_started'`);
  await page.goto(`/insights?from=${renewal}&to=${renewal}&lead=60`);
  const suggestion = page.getByTestId("suggested-weights");
  await expect(suggestion).toBeVisible({ timeout: 20_000 });
  await expect(suggestion).toHaveAttribute("data-offer", "load");
  await expect(page.getByTestId("suggestion-verdict")).toContainText("The suggested weights rank renewals better than the current ones");
  await expect(page.getByTestId("suggested-auc")).toHaveText(/^0\.\d\d \(0\.\d\d–[01]\.\d\d\)$/);
  const callsRow = suggestion.getByRole("row", { name: /^Onboarding Call Held/ });
  await expect(callsRow).toContainText("higher");
  const cellValue = async (row: typeof callsRow, column: number) => (await row.getByRole("cell").nth(column).innerText()).trim().replace("\u2212", "-");
  const suggestedCalls = await cellValue(callsRow, 1);
  // An event the data cannot tell about keeps its weight, times the factor that keeps the mean score.
  const unclearRow = suggestion.getByRole("row").filter({ hasText: "unclear" }).first();
  const unclearLabel = (await unclearRow.getByRole("rowheader").innerText()).trim();
  const unclearSuggested = await cellValue(unclearRow, 1);

  await page.getByRole("link", { name: "Load into the weights editor" }).click();
  await expect(page).toHaveURL(/\/admin\/weights$/);
  await expect(page.getByTestId("suggestion-loaded")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Weight of Onboarding Call Held" })).toHaveValue(suggestedCalls);
  await expect(page.getByRole("textbox", { name: `Weight of ${unclearLabel}` })).toHaveValue(unclearSuggested);
  await expect(page.getByText("Unsaved changes. Preview their impact before saving.")).toBeVisible();

  await page.getByRole("button", { name: "Preview impact" }).click();
  await expect(page.getByRole("heading", { name: "Impact of your changes" })).toBeVisible();
  // The suggestion keeps the score's scale: the average score does not jump.
  const [meanBefore = NaN, meanAfter = NaN] = (await page.getByTestId("preview-mean").innerText()).split("→").map((x) => Number(x.trim().replace("\u2212", "-")));
  expect(Math.abs(meanAfter - meanBefore)).toBeLessThanOrEqual(0.15);
  await expect(page.getByRole("button", { name: "Save and recompute scores" })).toBeVisible();
  // Previewing stored nothing.
  expect(await storedValue<number>(sql`SELECT config_version FROM scoring_settings`)).toBe(version);
  expect(await storedValue<number>(sql`SELECT weight_hundredths FROM event_types WHERE key = 'session_started'`)).toBe(sessionWeight);

  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(page.getByTestId("suggestion-loaded")).toHaveCount(0);
  await expect(page.getByRole("textbox", { name: "Weight of Session started" })).toHaveValue(String(sessionWeight / 100));
});

test("a suggestion that ranks renewals no better than the current weights is not offered, and says so", async ({ page }) => {
  // Renewals 30 days from now that follow today's score exactly (read 30 days ahead, the score
  // is today's): every account above the median renews, the rest churn. Nothing ranks them better.
  const asOf = await storedValue<number>(sql`SELECT max(as_of_day) FROM account_scores`);
  const scored = await withE2eDb((db) =>
    db.all<{ accountId: string; score: number }>(sql`SELECT a.external_id AS "accountId", s.score_hundredths AS score FROM account_scores s JOIN accounts a ON a.id = s.account_id`),
  );
  const meanHundredths = await storedValue<number>(sql`SELECT avg(score_hundredths) FROM account_scores`);
  const renewal = new Date((asOf + 30) * 86_400_000).toISOString().slice(0, 10);
  const median = [...scored].sort((a, b) => a.score - b.score)[Math.floor(scored.length / 2)]?.score ?? 0;
  const created = await page.request.post("/api/admin/keys", { data: { label: "e2e exact outcomes" } });
  const { key } = (await created.json()) as { key: string };
  const sent = await page.request.post("/api/v1/outcomes", {
    headers: { authorization: `Bearer ${key}` },
    data: { outcomes: scored.map(({ accountId, score }) => ({ accountId, renewalDate: renewal, outcome: score > median ? "renewed" : "churned" })) },
  });
  expect(sent.status()).toBe(200);

  await page.goto(`/insights?from=${renewal}&to=${renewal}&lead=30`);
  const suggestion = page.getByTestId("suggested-weights");
  await expect(suggestion).toBeVisible({ timeout: 20_000 });
  await expect(suggestion).not.toHaveAttribute("data-offer", "load");
  await expect(page.getByTestId("suggestion-verdict")).toContainText(/not offered for loading|Nothing is offered for loading/);
  await expect(page.getByRole("link", { name: "Load into the weights editor" })).toHaveCount(0);
  await expect(suggestion).toContainText("Nothing here is offered for loading: the current weights stay as they are.");
  // Were it loaded, the average account would keep its score: the page names today's mean.
  const mean = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(Math.round(meanHundredths) / 100).replace("-", "\u2212");
  await expect(page.getByTestId("suggestion-scale")).toContainText(`the mean score over all accounts stays at ${mean}.`);
});

test.describe("as a viewer", () => {
  test.use({ role: "viewer" });

  test("reads the validation and the suggestion, without a way to load it", async ({ page }) => {
    await page.goto("/insights");
    const suggestion = page.getByTestId("suggested-weights");
    await expect(suggestion).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole("link", { name: "Load into the weights editor" })).toHaveCount(0);
    // Who could load it, when there is something to load; else that nothing is offered.
    const offered = (await suggestion.getAttribute("data-offer")) === "load";
    await expect(suggestion).toContainText(
      offered ? "An administrator can load these into the weights editor" : "Nothing here is offered for loading: the current weights stay as they are.",
    );
  });
});

test("the insights API names a bad parameter", async ({ request }) => {
  const response = await request.get("/api/insights?lead=45");
  expect(response.status()).toBe(400);
  expect(await response.json()).toMatchObject({ success: false, error: { code: "invalid_request", field: "lead" } });
  const dates = await request.get("/api/insights?from=2026-05-01&to=2026-01-01");
  expect(await dates.json()).toMatchObject({ error: { field: "from" } });
});
