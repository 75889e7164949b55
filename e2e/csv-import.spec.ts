import { sql } from "drizzle-orm";
import fs from "node:fs";
import { withE2eDb } from "./db";
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

  const { one, two, audit } = await withE2eDb(async (db) => {
    const score = (externalId: string) =>
      db.value<number>(sql`SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ${externalId}`);
    return {
      one: await score("e2e-csv-1"),
      two: await score("e2e-csv-2"),
      audit: (await db.value<number>(sql`SELECT count(*) FROM audit_log WHERE action = 'import.commit' AND details LIKE '%.csv%'`)) ?? 0,
    };
  });
  // 3 reports × 2 points; one invitation × 4 points (the demo weights).
  expect(one).toBe(600);
  expect(two).toBe(400);
  expect(audit).toBeGreaterThanOrEqual(2);
});

test("events with bad rows: problems by reason, every reject downloadable, the valid rows imported, the fixed rejects imported, the edited file adds nothing", async ({ page }) => {
  const now = Date.now();
  const t1 = new Date(now - 3_600_000).toISOString();
  const t2 = new Date(now - 2 * 3_600_000).toISOString();
  await page.goto("/admin/import");
  await page.getByRole("radio", { name: /Accounts/ }).check();
  await page.getByLabel("Choose a CSV file").setInputFiles(csv("accounts.csv", "id,name\ne2e-csv-r1,Reimport One\n"));
  await page.getByRole("button", { name: "Import 1 row" }).click();
  await expect(page.getByTestId("import-done")).toContainText("1 new and 0 updated accounts");
  await page.getByRole("button", { name: "Import another file" }).click();

  await page.getByRole("radio", { name: /Events/ }).check();
  const lines: Record<number, string> = {
    2: `e2e-csv-r1,Report Created,${t1}`,
    3: `e2e-csv-r1,Report Created,${t1}`, // the same report twice: two events
    4: `e2e-csv-ghost,Colleague invited,${t1}`,
    5: `e2e-csv-r1,Webinar registration,${t1}`,
    6: `e2e-csv-r1,Report Created,next tuesday`,
    7: `e2e-csv-r1,Session started,${t1}`,
  };
  const original = `account_id,event,timestamp\n${Object.values(lines).join("\n")}\n`;
  await page.getByLabel("Choose a CSV file").setInputFiles(csv("events.csv", original));
  const problems = page.getByTestId("import-problems");
  await expect(problems).toContainText("2 rows have problems");
  await expect(problems.getByTestId("problems-by-reason")).toContainText("account_id account does not exist; import it first");
  await expect(problems.getByTestId("problems-by-reason")).toContainText("timestamp must be a date-time");
  // The display label of webinar_registered counts for it (no new event type).
  await expect(page.getByTestId("matched-event-names")).toContainText("“Webinar registration” → Webinar registration");

  const [download] = await Promise.all([page.waitForEvent("download"), problems.getByTestId("download-rejects").click()]);
  expect(download.suggestedFilename()).toBe("events.rejects.csv");
  const rejects = fs.readFileSync((await download.path()) ?? "", "utf8");
  expect(rejects.trimEnd().split("\r\n")).toEqual([
    "rejected_line,rejected_field,rejected_reason,account_id,event,timestamp",
    `4,account_id,"account ""e2e-csv-ghost"" does not exist; import it first",${lines[4]}`,
    `6,timestamp,"must be a date-time like 2026-11-22T09:30:00Z (or a date, or Unix seconds)",${lines[6]}`,
  ]);

  await problems.getByRole("button", { name: "Import the 4 valid rows, skip 2" }).click();
  const done = page.getByTestId("import-done");
  await expect(done).toContainText("4 events added");
  await expect(done.getByTestId("import-skipped")).toContainText("2 rows with problems were skipped");

  // The rejects file, fixed where it says what is wrong, imports as it is.
  await page.getByRole("button", { name: "Import another file" }).click();
  await page.getByRole("radio", { name: /Events/ }).check();
  const fixed = rejects.replace("e2e-csv-ghost,Colleague", "e2e-csv-r1,Colleague").replace("next tuesday", t2);
  await page.getByLabel("Choose a CSV file").setInputFiles(csv("events.rejects.csv", fixed));
  await expect(page.getByTestId("import-problems")).toHaveCount(0);
  await page.getByRole("button", { name: "Import 2 rows" }).click();
  await expect(page.getByTestId("import-done")).toContainText("2 events added");

  // The original with its bad lines deleted and the rest reordered: nothing new.
  await page.getByRole("button", { name: "Import another file" }).click();
  await page.getByRole("radio", { name: /Events/ }).check();
  await page.getByLabel("Choose a CSV file").setInputFiles(csv("events.csv", `timestamp,event,account_id\n${[7, 3, 5, 2].map((n) => (lines[n] ?? "").split(",").reverse().join(",")).join("\n")}\n`));
  await page.getByRole("button", { name: "Import 4 rows" }).click();
  await expect(page.getByTestId("import-done")).toContainText("0 events added; 4 were already there and were not counted again");

  const { events, score, types } = await withE2eDb(async (db) => ({
    events: await db.value<number>(sql`SELECT count(*) FROM events e JOIN accounts a ON a.id = e.account_id WHERE a.external_id = 'e2e-csv-r1'`),
    score: await db.value<number>(sql`SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = 'e2e-csv-r1'`),
    types: await db.value<number>(sql`SELECT count(*) FROM event_types WHERE key LIKE 'webinar%'`),
  }));
  expect(events).toBe(6);
  // 3 reports × 2 + a webinar registration × 3 + a session × 1.2 + an invitation × 4 (the demo weights).
  expect(score).toBe(600 + 300 + 120 + 400);
  expect(types).toBe(1);
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
