import { openE2eDatabase } from "./db";
import { expect, test } from "./fixtures";

/** The admin CSV import, in the browser. Writes only its own accounts (e2e-csv-*). */
const recent = new Date(Date.now() - 3_600_000).toISOString();

function csv(name: string, text: string) {
  return { name, mimeType: "text/csv", buffer: Buffer.from(text) };
}

test("a file with problems is refused row by row; a valid file is previewed and imported", async ({ page }) => {
  await page.goto("/admin/import");
  await expect(page.getByRole("heading", { level: 1, name: "Import" })).toBeVisible();
  await page.getByRole("radio", { name: /Accounts/ }).check();

  await page
    .getByLabel("Choose a CSV file")
    .setInputFiles(csv("broken.csv", "id,name,renewal_date,arr\ne2e-csv-1,CSV One,2027-01-31,1000\n,No Id,,\ne2e-csv-2,CSV Two,someday,\n"));
  const problems = page.getByTestId("import-problems");
  await expect(problems).toContainText("2 rows have problems");
  const rows = problems.getByTestId("import-problem");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("3");
  await expect(rows.nth(0)).toContainText("id");
  await expect(rows.nth(0)).toContainText("is required");
  await expect(rows.nth(1)).toContainText("4");
  await expect(rows.nth(1)).toContainText("renewal_date");
  await expect(page.getByRole("button", { name: /^Import \d/ })).toBeDisabled();

  await page
    .getByLabel("Choose a CSV file")
    .setInputFiles(csv("accounts.csv", "id,name,plan,arr,tags\ne2e-csv-1,CSV One,Growth,1000,imported\ne2e-csv-2,CSV Two,Starter,2500,\n"));
  const preview = page.getByTestId("import-preview");
  await expect(preview).toContainText("Preview of accounts.csv");
  await expect(preview.getByRole("table", { name: "First rows" })).toContainText("CSV Two");
  await expect(page.getByTestId("import-problems")).toHaveCount(0);
  await page.getByRole("button", { name: "Import 2 rows" }).click();
  await expect(page.getByTestId("import-done")).toContainText("2 new and 0 updated accounts");

  await page.getByRole("button", { name: "Import another file" }).click();
  await page.getByRole("radio", { name: /Events/ }).check();
  await page
    .getByLabel("Choose a CSV file")
    .setInputFiles(csv("events.csv", `account_id,event,timestamp,quantity\ne2e-csv-1,Report Created,${recent},3\ne2e-csv-2,Colleague Invited,${recent},\n`));
  await expect(page.getByTestId("import-preview")).toContainText("Preview of events.csv");
  await page.getByRole("button", { name: "Import 2 rows" }).click();
  await expect(page.getByTestId("import-done")).toContainText("2 events added");

  const db = openE2eDatabase();
  const score = db.prepare("SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ?").pluck();
  const one = score.get("e2e-csv-1");
  const two = score.get("e2e-csv-2");
  const audit = db.prepare("SELECT count(*) FROM audit_log WHERE action = 'import.commit' AND details LIKE '%.csv%'").pluck().get() as number;
  db.close();
  // 3 reports × 2 points; one invitation × 4 points (the demo weights).
  expect(one).toBe(600);
  expect(two).toBe(400);
  expect(audit).toBeGreaterThanOrEqual(2);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the import and keys pages fit the screen", async ({ page }) => {
    for (const url of ["/admin/import", "/admin/keys"]) {
      await page.goto(url);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, url).toBeLessThanOrEqual(0);
    }
  });
});
