import { expect, test } from "./fixtures";
import { isoDaysAgo } from "@/lib/days";

test("a new change marker shows on the trend chart, and goes when deleted", async ({ page }) => {
  const title = `E2E launch ${Date.now().toString(36)}`;
  await page.goto("/trends?range=90");
  await expect(page.getByTestId("markers-card")).toHaveAttribute("data-hydrated", "true");
  const chart = page.getByTestId("time-series-chart");
  await expect(chart.locator(".recharts-line")).toHaveCount(2);

  await page.getByRole("button", { name: "Add marker" }).click();
  const form = page.getByRole("form", { name: "Add marker" });
  await form.getByRole("textbox", { name: "Date" }).fill(isoDaysAgo(10));
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Description").fill("Created by the end-to-end tests.");
  await form.getByRole("button", { name: "Add marker" }).click();

  await expect(page.getByRole("list", { name: "Change markers" }).getByText(title)).toBeVisible();
  await expect(chart.getByText(title)).toBeVisible();
  await expect(page.getByTestId("band-mix-chart").getByText(title)).toBeVisible();

  // Leave the data as it was for the other specs.
  await page.getByRole("button", { name: `Delete ${title}` }).click();
  await page.getByRole("group", { name: `Confirm deleting ${title}` }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("list", { name: "Change markers" }).getByText(title)).toHaveCount(0);
  await expect(chart.getByText(title)).toHaveCount(0);
});

test("a marker needs a title: the API says which field is wrong", async ({ request }) => {
  const response = await request.post("/api/change-markers", { data: { date: "2026-02-30", title: "x" } });
  expect(response.status()).toBe(400);
  expect(await response.json()).toMatchObject({ success: false, error: { code: "invalid_request", field: "date" } });
});

test("range and split live in the URL", async ({ page }) => {
  await page.goto("/trends");
  await expect(page.getByTestId("trends-view")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "30 days" }).click();
  await expect(page).toHaveURL(/range=30/);
  await page.getByLabel("Split by").selectOption("plan");
  await expect(page).toHaveURL(/dimension=plan/);
  await expect(page.getByTestId("time-series-chart").locator(".recharts-line")).toHaveCount(4);
  await page.reload();
  await expect(page.getByRole("button", { name: "30 days" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByLabel("Split by")).toHaveValue("plan");
});
