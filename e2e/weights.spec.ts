import { sql } from "drizzle-orm";
import { expect, test } from "./fixtures";
import { storedValue, withE2eDb } from "./db";

const BANDS = ["churn_risk", "low", "medium", "high", "power"] as const;

async function storedBandCounts(): Promise<Record<string, number>> {
  const rows = await withE2eDb((db) => db.all<{ band: string; n: number }>(sql`SELECT band, count(*) AS n FROM account_scores GROUP BY band`));
  return Object.fromEntries(BANDS.map((b) => [b, rows.find((r) => r.band === b)?.n ?? 0]));
}

test("change a weight, preview the band moves, save, then restore the previous version", async ({ page }) => {
  test.slow(); // two recomputes of every account and a dozen pages
  const versionBefore = await storedValue<number>(sql`SELECT config_version FROM scoring_settings`);
  await page.goto("/admin/weights");
  await expect(page.getByRole("heading", { level: 1, name: "Weights & scoring" })).toBeVisible();
  await expect(page.getByTestId("config-version")).toHaveText(`v${versionBefore}`);

  // Sessions worth 5 points instead of 1.2: many accounts move up.
  const weight = page.getByRole("textbox", { name: "Weight of Session started" });
  await weight.fill("5");
  await page.getByRole("button", { name: "Preview impact" }).click();
  const matrix = page.getByTestId("band-move-matrix");
  await expect(matrix).toBeVisible();

  // The matrix's rows are today's bands (as stored); its columns are the bands after saving.
  const before = await storedBandCounts();
  const after: Record<string, number> = Object.fromEntries(BANDS.map((b) => [b, 0]));
  let moved = 0;
  for (const from of BANDS) {
    let rowTotal = 0;
    for (const to of BANDS) {
      const n = Number((await page.getByTestId(`move-${from}-${to}`).innerText()).replace(/,/g, ""));
      rowTotal += n;
      after[to] = (after[to] ?? 0) + n;
      if (from !== to) moved += n;
    }
    expect(rowTotal, `accounts now in ${from}`).toBe(before[from]);
  }
  expect(moved).toBeGreaterThan(0);
  await expect(page.getByTestId("preview-moved")).toHaveText(new Intl.NumberFormat("en-US").format(moved));
  expect(after.power).toBeGreaterThan(before.power ?? 0);

  await page.getByLabel("Reason (optional, shown in the history)").fill("Sessions are our best signal");
  await page.getByRole("button", { name: "Save and recompute scores" }).click();
  // The recompute runs in the background; the page reports when the new version is in force.
  await expect(page.getByTestId("config-version")).toHaveText(`v${versionBefore + 1}`, { timeout: 20_000 });
  expect(await storedValue<number>(sql`SELECT weight_hundredths FROM event_types WHERE key = 'session_started'`)).toBe(500);
  expect(await storedValue<number>(sql`SELECT count(DISTINCT config_version) FROM account_scores`)).toBe(1);
  expect(await storedValue<number>(sql`SELECT max(config_version) FROM account_scores`)).toBe(versionBefore + 1);
  // What was saved is exactly what the preview promised.
  expect(await storedBandCounts()).toEqual(after);

  // The overview shows the new scores.
  await page.goto("/");
  await expect(page.getByTestId("band-count-power")).toHaveAttribute("data-count", String(after.power));

  // The call lists show the new scores: the top of the 80–100 list is scored with the new weights.
  await page.goto("/accounts?list=high");
  await expect(page.getByTestId("call-lists")).toHaveAttribute("data-ready", "true");
  const top = page.getByTestId("call-list-row").first();
  const topId = Number(await top.getAttribute("data-account-id"));
  const topScore = await storedValue<number>(sql`SELECT score_hundredths FROM account_scores WHERE account_id = ${topId}`);
  await expect(top).toContainText(new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 }).format(topScore / 100));

  // That account's explanation uses the new weight: sessions are worth 5 points each.
  await page.goto(`/accounts/${topId}`);
  const sessions = page.getByTestId("contribution").filter({ hasText: "Session started" });
  await expect(sessions).toContainText("5 ×");
  await expect(page.getByTestId("contributions-total")).toHaveText(
    new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(topScore / 100).replace("-", "\u2212"),
  );
  await expect(page.getByTestId("score-history-chart").getByText(`Rules v${versionBefore + 1}`)).toBeVisible();

  // Trend charts mark the day the scoring rules changed (the history was recomputed).
  await page.goto("/trends");
  await expect(page.getByTestId("time-series-chart").getByText(`Rules v${versionBefore + 1}`)).toBeVisible();

  // Restore the previous version from the history: a new version with the old weights.
  await page.goto("/admin/weights/history");
  const previous = page.getByTestId(`version-${versionBefore}`);
  await expect(page.getByTestId(`version-${versionBefore + 1}`)).toContainText("Sessions are our best signal");
  await expect(page.getByTestId(`version-${versionBefore + 1}`)).toContainText("Session started: weight 1.2 → 5");
  // The app asks in its own dialog, never the browser's confirm box (issue 13).
  page.once("dialog", (dialog) => {
    throw new Error(`The browser's own ${dialog.type()} box opened: "${dialog.message()}"`);
  });
  await previous.getByRole("button", { name: "Restore" }).click();
  const confirm = page.getByRole("dialog", { name: `Restore version ${versionBefore}?` });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await previous.getByRole("button", { name: "Restore" }).click();
  await confirm.getByRole("button", { name: `Restore version ${versionBefore}` }).click();
  await expect(page).toHaveURL(/\/admin\/weights$/);
  await expect(page.getByTestId("config-version")).toHaveText(`v${versionBefore + 2}`, { timeout: 20_000 });
  expect(await storedValue<number>(sql`SELECT weight_hundredths FROM event_types WHERE key = 'session_started'`)).toBe(120);
  expect(await storedBandCounts()).toEqual(before);
});

test("invalid weights and settings are refused with the field named, and nothing is saved", async ({ page }) => {
  const version = await storedValue<number>(sql`SELECT config_version FROM scoring_settings`);
  await page.goto("/admin/weights");
  await page.getByRole("textbox", { name: "Weight of Session started" }).fill("5000");
  await expect(page.getByText("The weight must be between -1000 and 1000")).toBeVisible();
  await page.getByLabel("High band from").fill("30");
  await expect(page.getByText("The high band must start above the start of the medium band")).toBeVisible();
  await expect(page.getByRole("button", { name: "Preview impact" })).toBeDisabled();
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(page.getByRole("textbox", { name: "Weight of Session started" })).toHaveValue("1.2");

  // The API refuses the same configuration, naming the field.
  const response = await page.request.post("/api/admin/scoring/preview", {
    data: {
      settings: { windowDays: 400, compareDays: 30, thresholds: { churnRiskMax: 0, mediumFrom: 40, highFrom: 80, powerAbove: 100 }, decline: { declinePercent: 20, declinePoints: 10 } },
      types: {},
    },
  });
  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({
    success: false,
    error: { code: "invalid_config", message: "The window must be at most 365", field: "settings.windowDays" },
  });
  expect(await storedValue<number>(sql`SELECT config_version FROM scoring_settings`)).toBe(version);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("every weight input and its switch fit the screen, with no sideways scrolling", async ({ page }) => {
    await page.goto("/admin/weights");
    const inputs = page.getByRole("textbox", { name: /^Weight of / });
    expect(await inputs.count()).toBeGreaterThan(3);
    for (const box of [inputs.first(), inputs.last(), page.getByRole("checkbox", { name: /counts towards the score$/ }).first()]) {
      const rect = await box.boundingBox();
      expect(rect, "laid out").not.toBeNull();
      expect((rect?.x ?? -1) >= 0 && (rect?.x ?? 0) + (rect?.width ?? 0) <= 390).toBe(true);
    }
    const table = page.getByTestId("event-weights-table");
    expect(await table.evaluate((el) => (el.parentElement ? el.parentElement.scrollWidth <= el.parentElement.clientWidth : false))).toBe(true);
  });
});
