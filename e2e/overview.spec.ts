import { sql } from "drizzle-orm";
import { expect, test } from "./fixtures";
import { bandFor, type BandThresholds } from "@/lib/scoring/bands";
import { withE2eDb } from "./db";

const BAND_LABELS = {
  power: "Power user",
  high: "High",
  medium: "Medium",
  low: "Low",
  churn_risk: "Churn risk",
} as const;

// The overview counts trials and customers (churned accounts are no longer customers), each in
// the band of its score, except accounts not active yet (onboarding, a card of their own).
const COUNTED = sql`FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.stage <> 'churned'`;

test("the overview counts each account in the band its score falls in under the thresholds in force", async ({ page }) => {
  // Bands from the scores and the thresholds in force (bandFor), not from the band column the
  // page itself reads: a wrongly stored band fails here.
  const { t, scores, total, average } = await withE2eDb(async (db) => {
    const t = await db.get<BandThresholds>(
      sql`SELECT churn_risk_max AS "churnRiskMax", medium_from AS "mediumFrom", high_from AS "highFrom", power_above AS "powerAbove" FROM scoring_settings`,
    );
    if (!t) throw new Error("no scoring settings");
    return {
      t,
      scores: (await db.all<{ h: number }>(sql`SELECT s.score_hundredths AS h ${COUNTED} AND s.activity <> 'not_active_yet'`)).map((row) => row.h),
      total: (await db.value<number>(sql`SELECT count(*) ${COUNTED}`)) ?? 0,
      average: (await db.value<number>(sql`SELECT avg(s.score_hundredths) / 100.0 ${COUNTED}`)) ?? 0,
    };
  });
  const expected = new Map<string, number>();
  for (const h of scores) expected.set(bandFor(h / 100, t), (expected.get(bandFor(h / 100, t)) ?? 0) + 1);

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();

  for (const [band, label] of Object.entries(BAND_LABELS)) {
    const card = page.getByTestId(`band-count-${band}`);
    await expect(card.getByRole("heading", { name: label })).toBeVisible();
    await expect(card).toContainText(new Intl.NumberFormat("en-US").format(expected.get(band) ?? 0));
    await expect(card).toHaveAttribute("data-count", String(expected.get(band) ?? 0));
  }
  await expect(page.getByTestId("stat-total")).toContainText(new Intl.NumberFormat("en-US").format(total));
  await expect(page.getByTestId("stat-average")).toContainText(new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 }).format(average));
  await expect(page.getByRole("heading", { name: "Score distribution" })).toBeVisible();
  // The histogram draws one bar per non-empty bin.
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();

  // The same figures as JSON, for dashboards and integrations.
  const response = await page.request.get("/api/overview");
  expect(response.status()).toBe(200);
  const { data } = (await response.json()) as { data: { countedAccounts: number; bandCounts: { band: string; count: number }[] } };
  expect(data.countedAccounts).toBe(total);
  expect(Object.fromEntries(data.bandCounts.map((b) => [b.band, b.count]))).toEqual(
    Object.fromEntries(Object.keys(BAND_LABELS).map((band) => [band, expected.get(band) ?? 0])),
  );
});

test("the biggest risers and drops are the accounts that moved most", async ({ page }) => {
  const [riser, faller] = await withE2eDb(async (db) => {
    const top = (order: "DESC" | "ASC") =>
      db.value<string>(
        sql`SELECT a.name ${COUNTED} AND s.previous_activity IS NOT NULL
              AND s.score_hundredths ${sql.raw(order === "DESC" ? ">" : "<")} s.previous_hundredths
            ORDER BY s.score_hundredths - s.previous_hundredths ${sql.raw(order)}, a.name LIMIT 1`,
      );
    return [(await top("DESC")) ?? "", (await top("ASC")) ?? ""];
  });

  await page.goto("/");
  const risers = page.getByRole("region", { name: "Biggest risers" });
  await expect(risers.getByRole("row").nth(1)).toContainText(riser);
  const drops = page.getByRole("region", { name: "Biggest drops" });
  await expect(drops.getByRole("row").nth(1)).toContainText(faller);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the menu opens and navigates", async ({ page }) => {
    await page.goto("/");
    const menu = page.getByRole("button", { name: "Open menu" });
    await expect(menu).toBeVisible();
    await menu.click();
    await page.locator("#mobile-nav").getByRole("link", { name: "Trends" }).click();
    await expect(page).toHaveURL(/\/trends$/);
    await expect(page.getByRole("heading", { level: 1, name: "Trends" })).toBeVisible();
  });
});
