import { sql, type SQL } from "drizzle-orm";
import { addMonths, isoDateFromDay, todayDay } from "../lib/days";
import { RETENTION_ALREADY_RUNNING } from "../lib/operations/retention";
import { withE2eDb } from "./db";
import { expect, test } from "./fixtures";

/**
 * Admin → Data, end to end: the retention setting shows its effect before it is saved, and
 * erasing an end user (then their account) deletes what was stored about them, recomputes
 * the score and leaves an audit entry without the deleted content. The spec sends its own
 * account and users, and erases them again: the shared demo data stays as it was.
 */
const run = Date.now().toString(36);
const account = `erase-acct-${run}`;
const leaving = `erase-user-${run}`;
const staying = `stay-user-${run}`;

async function scoreOf(externalId: string): Promise<number | null> {
  const score = await withE2eDb((db) =>
    db.value<number>(sql`SELECT s.score_hundredths AS score FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ${externalId}`),
  );
  return score ?? null;
}

async function count(query: SQL): Promise<number> {
  return (await withE2eDb((db) => db.value<number>(query))) ?? 0;
}

test("an admin previews retention before saving it, and erases an end user and then their account", async ({ page, request }) => {
  // Data of our own: an account with events from two users (Report created weighs 2 points).
  const created = await request.post("/api/admin/keys", { data: { label: `erasure e2e ${run}` } });
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: string };
  const timestamp = new Date(Date.now() - 3_600_000).toISOString();
  const track = (userId: string, n: number) => ({ type: "track", event: "Report created", userId, context: { groupId: account }, messageId: `${userId}-${n}`, timestamp });
  const sent = await request.post("/v1/batch", {
    headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` },
    data: { batch: [{ type: "group", userId: staying, groupId: account, traits: { name: `Erasure test ${run}` }, messageId: `g-${run}` }, track(leaving, 1), track(leaving, 2), track(leaving, 3), track(staying, 1)] },
  });
  expect(sent.status()).toBe(200);
  expect(await scoreOf(account)).toBe(800);

  await page.goto("/admin/data");
  await expect(page.getByRole("heading", { level: 1, name: "Data retention & deletion" })).toBeVisible();
  await expect(page.getByTestId("data-admin")).toHaveAttribute("data-hydrated", "true");

  // Retention: choosing 3 months shows what it would delete, counted on the server.
  const effect = page.getByTestId("retention-effect");
  await expect(effect).toContainText("Today:");
  // The cutoff is the server's (its preview answer): the test checks that it is 3 months before
  // the day on the test's clock just before or just after, so a run across UTC midnight agrees.
  const dayBefore = todayDay();
  const previewed = page.waitForResponse((r) => r.url().endsWith("/api/admin/retention/preview") && r.request().method() === "POST");
  await page.getByLabel("Keep raw events for").selectOption("3");
  const { cutoffDay: cutoff } = ((await (await previewed).json()) as { data: { cutoffDay: number } }).data;
  expect([addMonths(dayBefore, -3), addMonths(todayDay(), -3)]).toContain(cutoff);
  const older = await count(sql`SELECT count(*) FROM events WHERE day < ${cutoff}`) + await count(sql`SELECT count(*) FROM pending_events WHERE day < ${cutoff}`);
  await expect(effect).toContainText(`If saved: This deletes ${older >= 1_000_000 ? "" : older.toLocaleString("en-US")}`);
  await expect(effect).toContainText(`older than ${isoDateFromDay(cutoff)}. Rollups and scores are kept.`);
  // Saving "keep for ever" (it deletes nothing), then the default again.
  await page.getByLabel("Keep raw events for").selectOption("forever");
  await expect(effect).toContainText("If saved: Raw events are kept for ever: nothing is deleted.");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText("Saved. The next hourly run applies it")).toBeVisible();
  await expect(effect).toContainText("Today: Raw events are kept for ever");
  await page.getByLabel("Keep raw events for").selectOption("13");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(effect).toContainText("Today:");
  expect(await count(sql`SELECT raw_event_months FROM retention_settings WHERE id = 1`)).toBe(13);

  // Apply now, from the keyboard: the request answers 202 at once, the run goes on in the
  // background and the card follows it to its end (what the hourly job would delete anyway).
  const applyNow = page.getByRole("button", { name: "Apply now" });
  // The run keeps 13 months before its day, which is this day or a later one (past UTC midnight).
  const kept = addMonths(todayDay(), -13);
  await applyNow.focus();
  const started = page.waitForResponse((r) => r.url().endsWith("/api/admin/retention/run") && r.request().method() === "POST");
  await page.keyboard.press("Enter");
  expect((await started).status()).toBe(202);
  const lastRun = page.getByTestId("retention-run");
  await expect(lastRun).toHaveAttribute("data-status", "done");
  await expect(lastRun).toContainText(/^Last run .+: deleted [\d,]+ raw events?\.$/);
  await expect(applyNow).toBeEnabled();
  const watermark = await count(sql`SELECT last_event_id FROM score_sync WHERE id = 1`);
  expect(await count(sql`SELECT count(*) FROM events WHERE day < ${kept} AND id <= ${watermark}`)).toBe(0);
  expect(await count(sql`SELECT count(*) FROM pending_events WHERE day < ${kept}`)).toBe(0);

  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.screenshot({ path: "test-results/data-admin-1280.png", fullPage: true });

  // Erase the end user who leaves: their 3 events go, the score drops from 8 to 2 points.
  const userCard = page.getByRole("form", { name: "Erase an end user" });
  await userCard.getByLabel("User id (or anonymous id)").fill(leaving);
  await userCard.getByRole("button", { name: "Erase end user…" }).click();
  await expect(userCard.getByRole("alertdialog", { name: "Confirm erasure" })).toContainText(leaving);
  await userCard.getByRole("button", { name: "Yes, erase this user" }).click();
  await expect(userCard.getByText("Erased 3 events, 0 waiting events, 0 account links and 0 identify, group or alias messages; scores of 1 account recomputed.")).toBeVisible();
  expect(await count(sql`SELECT count(*) FROM events WHERE user_id = ${leaving}`)).toBe(0);
  expect(await scoreOf(account)).toBe(200);
  expect(await count(sql`SELECT count(*) FROM audit_log WHERE action = 'erasure.end_user' AND details LIKE '%"events":3%'`)).toBeGreaterThanOrEqual(1);
  expect(await count(sql`SELECT count(*) FROM audit_log WHERE target LIKE ${`%${leaving}%`} OR details LIKE ${`%${leaving}%`}`)).toBe(0);

  // Erase the account: everything about it goes.
  const accountCard = page.getByRole("form", { name: "Erase an account" });
  await accountCard.getByLabel("Account id (external id)").fill("no-such-account");
  await accountCard.getByRole("button", { name: "Erase account…" }).click();
  await accountCard.getByRole("button", { name: "Yes, erase this account" }).click();
  await expect(accountCard.getByText('There is no account with external id "no-such-account".')).toBeVisible();
  await accountCard.getByLabel("Account id (external id)").fill(account);
  await accountCard.getByRole("button", { name: "Erase account…" }).click();
  await accountCard.getByRole("button", { name: "Yes, erase this account" }).click();
  await expect(accountCard.getByText(`Erased account ${account}: 1 event, 1 daily rollup, 1 user link (and 1 identify, group or alias message of theirs), 0 notes, 0 contacts and 0 renewal outcomes.`)).toBeVisible();
  expect(await count(sql`SELECT count(*) FROM accounts WHERE external_id = ${account}`)).toBe(0);
  expect(await count(sql`SELECT count(*) FROM user_links WHERE user_id = ${staying}`)).toBe(0);

  await page.setViewportSize({ width: 390, height: 900 });
  await page.screenshot({ path: "test-results/data-admin-390.png", fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("Apply now shows the run's progress while it deletes, then its result", async ({ page }) => {
  // The run's state is served by the test (a real run on the demo data ends too fast to
  // watch): a run 25 % done, then 60 % at the next poll, then done. Only polling moves it on.
  const startedAt = Date.now();
  const states = [
    { status: "running", startedAt, finishedAt: null, done: 2_500_000, total: 10_000_000, error: null, result: {} },
    { status: "running", startedAt, finishedAt: null, done: 6_000_000, total: 10_000_000, error: null, result: {} },
    { status: "done", startedAt, finishedAt: startedAt + 60_000, done: 10_000_000, total: 10_000_000, error: null, result: {} },
  ];
  let polls = 0;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/admin/retention/run", async (route) => {
    if (route.request().method() === "POST") return route.fulfill({ status: 202, json: { success: true, data: states[0] } });
    // The second poll waits until the test has looked at the first state.
    if (polls === 1) await held;
    const state = states[Math.min(++polls, states.length - 1)];
    return route.fulfill({ json: { success: true, data: state } });
  });
  await page.goto("/admin/data");
  await expect(page.getByTestId("data-admin")).toHaveAttribute("data-hydrated", "true");
  polls = 0;
  const applyNow = page.getByRole("button", { name: "Apply now" });
  await applyNow.click();
  const run = page.getByTestId("retention-run");
  await expect(run).toHaveAttribute("data-status", "running");
  await expect(applyNow).toBeDisabled();
  await expect(run).toContainText(/Deleted (2,500,000|6,000,000) of 10,000,000 raw events/);
  await expect(run).toContainText("Deleted 6,000,000 of 10,000,000 raw events (60 %).");
  await expect(page.getByRole("progressbar", { name: "Retention progress" })).toHaveAttribute("aria-valuenow", "60");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: "test-results/retention-running-1280.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 900 });
  await page.screenshot({ path: "test-results/retention-running-390.png", fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  release();
  await expect(run).toHaveAttribute("data-status", "done");
  await expect(run).toContainText("deleted 10,000,000 raw events.");
  await expect(applyNow).toBeEnabled();
});

test("Apply now shows why it could not start, and a failed run's error", async ({ page }) => {
  const startedAt = Date.now();
  const failed = { status: "failed", startedAt, finishedAt: startedAt + 5_000, done: 15_000, total: 40_000, error: "database or disk is full", result: {} };
  await page.route("**/api/admin/retention/run", (route) =>
    route.request().method() === "POST"
      ? route.fulfill({ status: 409, json: { success: false, error: { code: "already_running", message: RETENTION_ALREADY_RUNNING } } })
      : route.fulfill({ json: { success: true, data: failed } }),
  );
  await page.goto("/admin/data");
  await expect(page.getByTestId("data-admin")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "Apply now" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Not started" })).toContainText("A retention run is already deleting old raw events, on this or another server; its progress shows below");
  const run = page.getByTestId("retention-run");
  await expect(run).toHaveAttribute("data-status", "failed");
  await expect(run).toContainText("database or disk is full");
  await expect(run).toContainText("It had deleted 15,000 raw events; those stay deleted.");
  await page.setViewportSize({ width: 390, height: 900 });
  await page.screenshot({ path: "test-results/retention-failed-390.png", fullPage: true });
});

test("the erasure API names the field at fault", async ({ request }) => {
  const missing = await request.post("/api/admin/erasure", { data: { kind: "end_user" } });
  expect(missing.status()).toBe(400);
  expect(((await missing.json()) as { error: { field: string } }).error.field).toBe("userId");
  const wrongKind = await request.post("/api/admin/erasure", { data: { kind: "everything" } });
  expect(wrongKind.status()).toBe(400);
  const unknown = await request.post("/api/admin/erasure", { data: { kind: "account", externalId: "no-such-account" } });
  expect(unknown.status()).toBe(404);
  const retention = await request.put("/api/admin/retention", { data: { rawEventMonths: 0 } });
  expect(retention.status()).toBe(400);
  expect(((await retention.json()) as { error: { field: string; message: string } }).error).toMatchObject({ field: "rawEventMonths", message: "rawEventMonths: rawEventMonths must be at least 1" });
});

test.describe("as a manager", () => {
  test.use({ role: "manager" });
  test("cannot erase anything", async ({ request }) => {
    const response = await request.post("/api/admin/erasure", { data: { kind: "end_user", userId: "anyone" } });
    expect(response.status()).toBe(403);
  });
});
