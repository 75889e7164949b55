import { sql } from "drizzle-orm";
import type { CompareData } from "@/lib/teams/compare/types";
import { withE2eDb } from "./db";
import { expect, test } from "./fixtures";
import { isoDaysAgo } from "@/lib/days";

test("the documentation overhaul shows a clear positive effect for new accounts, beyond the normal range", async ({ page }) => {
  const marker = await withE2eDb((db) => db.value<number>(sql`SELECT id FROM change_markers WHERE title = 'Documentation overhaul'`));

  await page.goto(`/trends/compare?marker=${marker}`);
  await expect(page.getByRole("heading", { level: 1, name: "Before / after a change" })).toBeVisible();
  await expect(page.getByRole("region", { name: "The change" })).toContainText("Documentation overhaul");

  const verdict = page.getByTestId("cohort-verdict");
  await expect(verdict).toHaveAttribute("data-kind", "higher");
  await expect(verdict).toContainText("Accounts that signed up after the change scored");
  await expect(verdict).toContainText("higher at day 30");
  await expect(verdict).toContainText("beyond the normal range");
  await expect(page.getByTestId("compare-summary")).toContainText("New accounts engage faster after the change");
  await expect(page.getByTestId("cohort-chart").locator(".recharts-line")).toHaveCount(2);
  // The quiet dates are drawn beside the observed difference.
  await expect(page.getByTestId("cohort-drift").getByTestId("placebo-strip")).toHaveAttribute("data-placebo-count", /^[1-9]\d*$/);

  // Every segment row carries a verdict consistent with its wording, and says which design it used.
  const rows = page.getByTestId("before-after-table").getByTestId("verdict");
  await expect(rows.first()).toBeVisible();
  const expected: Record<string, RegExp> = {
    higher: /^Higher after/,
    lower: /^Lower after/,
    no_clear_effect: /^No clear effect/,
    too_small: /^Too (few accounts|little history)/,
  };
  for (const cell of await rows.all()) {
    const kind = (await cell.getAttribute("data-kind")) ?? "";
    expect(Object.keys(expected)).toContain(kind);
    expect(((await cell.textContent()) ?? "").trim()).toMatch(expected[kind] ?? /^$/);
  }
  await expect(page.getByTestId("before-after-table").getByText(/^paired · /).first()).toBeVisible();
});

test.describe("as a manager", () => {
  test.use({ role: "manager" });

  test("a marker added on a quiet date reads 'no clear effect', and the page shows what the API returns", async ({ page }) => {
    const title = `Quiet e2e checklist ${Date.now().toString(36)}`;
    await page.goto("/trends?range=365");
    await expect(page.getByTestId("markers-card")).toHaveAttribute("data-hydrated", "true");
    await page.getByRole("button", { name: "Add marker" }).click();
    const form = page.getByRole("form", { name: "Add marker" });
    // Nine months ago: its 90-day windows and their follow-up stay clear of the demo's overhaul four months ago.
    await form.getByRole("textbox", { name: "Date" }).fill(isoDaysAgo(270));
    await form.getByLabel("Title").fill(title);
    await form.getByRole("button", { name: "Add marker" }).click();
    await expect(page.getByRole("list", { name: "Change markers" }).getByText(title)).toBeVisible();

    const markers = (await (await page.request.get("/api/change-markers")).json()) as { data: { id: number; title: string }[] };
    const id = markers.data.find((m) => m.title === title)?.id;
    expect(id).toBeDefined();
    try {
      await page.goto(`/trends/compare?marker=${id}`);
      await expect(page.getByTestId("compare-view")).toHaveAttribute("data-hydrated", "true");
      const verdict = page.getByTestId("cohort-verdict");
      await expect(verdict).toHaveAttribute("data-kind", "no_clear_effect");
      await expect(verdict).toContainText("No clear effect");
      await expect(page.getByTestId("overlapping-changes")).toHaveCount(0);

      // With 90-day windows the two markers leave no quiet dates at all; at 30 days existing
      // accounts have them on both sides. The API answers what the page shows.
      await page.getByRole("button", { name: "30 d", exact: true }).click();
      await expect(page).toHaveURL(/window=30/);
      const response = await page.request.get(`/api/trends/compare?marker=${id}&window=30`);
      expect(response.status()).toBe(200);
      const data = ((await response.json()) as { data: CompareData }).data;
      const all = data.existing.rows[0];
      expect(all?.verdict.kind).toBe("no_clear_effect");
      expect(all?.placebo?.differencesHundredths.length).toBeGreaterThan(0);
      const allRow = page.getByTestId(`compare-row-${all?.key ?? ""}`);
      await expect(allRow.getByTestId("verdict")).toHaveAttribute("data-kind", "no_clear_effect");
      await expect(allRow.getByTestId("verdict")).toContainText(all?.verdict.text ?? "missing");
      await expect(allRow.getByTestId("placebo-strip")).toHaveAttribute("data-placebo-count", String(all?.placebo?.differencesHundredths.length ?? -1));
      await expect(page.getByTestId("cohort-verdict")).toContainText(data.cohort?.headline.verdict.text ?? "missing");
      await expect(page.getByTestId("compare-summary")).toContainText(data.summary ?? "missing");

      // How the figures are computed: the method, the quiet dates used, the intervals, the correction.
      await page.getByText("How these figures are computed").click();
      const method = page.getByTestId("method-note");
      await expect(method).toContainText("bootstrap resamples");
      await expect(method).toContainText(`Existing accounts: ${data.existing.placeboDates.count} dates:`);
      await expect(method).toContainText("Holm");
    } finally {
      const removed = await page.request.delete(`/api/change-markers/${id}`, { headers: { origin: new URL(page.url()).origin } });
      expect(removed.status()).toBe(200);
    }
  });
});

test("small windows refuse to judge instead of guessing", async ({ page }) => {
  await page.goto("/trends/compare");
  await expect(page.getByTestId("compare-view")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "30 d", exact: true }).click();
  await expect(page).toHaveURL(/window=30/);
  await expect(page.getByTestId("cohort-verdict")).toHaveAttribute("data-kind", "too_small");
  await expect(page.getByTestId("cohort-verdict")).toContainText("Too few accounts to tell");
});

test("a marker that no longer exists says so and offers the others", async ({ page }) => {
  await page.goto("/trends/compare?marker=987654");
  await expect(page.getByRole("heading", { name: "That change marker no longer exists" })).toBeVisible();
  await expect(page.getByLabel("Change", { exact: true })).toContainText("Documentation overhaul");
});
