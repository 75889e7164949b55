import { sql } from "drizzle-orm";
import { expect, test } from "./fixtures";
import { startFreshServer, type FreshServer } from "./fresh-server";

/**
 * A real installation's first minutes, in the browser (issue 13, items 1, 3 and 9): an empty
 * database, no demo. The first administrator is led through the setup checklist; each step
 * turns done as the data arrives; the write key is tried without storing anything; the first
 * weights saved take effect.
 */
test.use({ role: "signed-out" });

let server: FreshServer;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startFreshServer();
});
test.afterAll(async () => {
  await server?.stop();
});

const step = (id: string) => `setup-step-${id}`;

test("a new installation leads the first administrator from setup to scores", async ({ page }) => {
  test.setTimeout(240_000);
  const at = (path: string) => `${server.baseURL}${path}`;
  const count = (table: "accounts" | "events" | "event_types") => server.query<number>(sql`SELECT count(*) FROM ${sql.identifier(table)}`);

  await test.step("the first administrator lands on the setup checklist", async () => {
    await page.goto(at("/"));
    await expect(page).toHaveURL(/\/setup$/);
    await page.getByLabel("Your name").fill("Ada Admin");
    await page.getByLabel("Work email").fill("ada@example.com");
    await page.getByRole("textbox", { name: "Password", exact: true }).fill("first-admin-password");
    await page.getByRole("textbox", { name: "Confirm password" }).fill("first-admin-password");
    await page.getByRole("button", { name: "Create administrator" }).click();
    await expect(page).toHaveURL(/\/admin$/);
    const checklist = page.getByTestId("setup-checklist");
    await expect(checklist.getByRole("heading", { name: "Get started" })).toBeVisible();
    await expect(page.getByTestId("setup-progress")).toHaveText("0 of 3 done");
    for (const id of ["data", "weights", "team", "outcomes"]) await expect(page.getByTestId(step(id))).toHaveAttribute("data-done", "false");
    await expect(page.getByTestId(step("data"))).toHaveAttribute("aria-current", "step");
    await expect(page.getByTestId("setup-status-team")).toHaveText("Only you so far.");
  });

  await test.step("every empty page links to the step that fills it", async () => {
    await page.goto(at("/"));
    await expect(page.getByTestId("setup-checklist")).toBeVisible();
    for (const path of ["/accounts", "/segments", "/trends", "/insights"]) {
      await page.goto(at(path));
      const hint = page.getByTestId("setup-hint");
      await expect(hint, path).toBeVisible({ timeout: 20_000 });
      await expect(hint.getByRole("link", { name: "Create a write key" })).toHaveAttribute("href", "/admin/keys");
      await expect(hint.getByRole("link", { name: "import a CSV file" })).toHaveAttribute("href", "/admin/import");
    }
    await page.goto(at("/admin/weights"));
    const noTypes = page.getByTestId("no-event-types");
    await expect(noTypes).toContainText("Event types arrive with your data");
    await expect(noTypes.getByRole("link", { name: "Create a write key" })).toHaveAttribute("href", "/admin/keys");
  });

  let key = "";
  await test.step("a new write key is tried with a dry run that stores nothing", async () => {
    await page.goto(at("/admin"));
    await page.getByTestId(step("data")).getByRole("link", { name: "Create a write key" }).click();
    await expect(page).toHaveURL(/\/admin\/keys$/);
    await page.getByRole("textbox", { name: "Label for the new key" }).fill("Production app");
    await page.getByRole("button", { name: "Create key" }).click();
    const panel = page.getByTestId("new-key-panel");
    await expect(panel).toBeVisible();
    key = await page.getByTestId("new-key-value").inputValue();
    await expect(panel.getByText(`${server.baseURL}/v1/track?dryRun=true`)).toBeVisible();
    await panel.getByRole("button", { name: "Test the key" }).click();
    await expect(page.getByTestId("key-test-result")).toHaveText(
      "The key works. This call would store 1 event, create 1 account and register 1 new event type (weight 0). Nothing was stored (dry run).",
    );
    // The sample account and its event type never reach the data.
    expect(await count("accounts")).toBe(0);
    expect(await count("events")).toBe(0);
    expect(await count("event_types")).toBe(0);

    await page.goto(at("/admin"));
    await expect(page.getByTestId("setup-status-data")).toHaveText("1 write key, nothing received yet.");
    await expect(page.getByTestId(step("data"))).toHaveAttribute("data-done", "false");
  });

  await test.step("data sent with the key completes the first step; the overview says the score is not weighted yet", async () => {
    const now = new Date().toISOString();
    const event = (id: string, accountId: string, event: string) => ({ messageId: id, accountId, event, timestamp: now });
    const sent = await page.request.post(at("/api/v1/events"), {
      headers: { authorization: `Bearer ${key}` },
      data: {
        events: [
          event("e1", "acme-corp", "Report Created"),
          event("e2", "acme-corp", "Report Created"),
          event("e3", "acme-corp", "Report Created"),
          event("e4", "globex", "Report Created"),
          event("e5", "globex", "Ticket Opened"),
        ],
      },
    });
    expect(sent.status()).toBe(200);
    await page.goto(at("/admin"));
    await expect(page.getByTestId(step("data"))).toHaveAttribute("data-done", "true");
    await expect(page.getByTestId("setup-status-data")).toHaveText("2 accounts with events.");
    await expect(page.getByTestId("setup-status-weights")).toHaveText("2 event types, none weighted yet: every score is 0.");
    await expect(page.getByTestId("setup-progress")).toHaveText("1 of 3 done");
    await expect(page.getByTestId(step("weights"))).toHaveAttribute("aria-current", "step");

    await page.goto(at("/"));
    await expect(page.getByTestId("setup-banner")).toContainText("The score is not weighted yet");
    await expect(page.getByTestId("setup-banner").getByRole("link", { name: "Set the weights" })).toHaveAttribute("href", "/admin/weights");
  });

  await test.step("the first weights saved take effect and the scores reflect them", async () => {
    await page.goto(at("/admin/weights"));
    await expect(page.getByTestId("config-version")).toHaveText("Built-in defaults");
    await page.getByRole("textbox", { name: "Weight of Report Created" }).fill("10");
    await page.getByRole("textbox", { name: "Weight of Ticket Opened" }).fill("-4");
    await page.getByRole("button", { name: "Preview impact" }).click();
    await expect(page.getByRole("list", { name: "Changes" })).toContainText("Report Created: weight 0 → 10");
    await page.getByRole("button", { name: "Save and recompute scores" }).click();
    await expect(page.getByTestId("config-version")).toHaveText("v1", { timeout: 30_000 });
    expect(await server.query<number>(sql`SELECT config_version FROM scoring_settings`)).toBe(1);
    // acme-corp: 3 reports × 10 = 30; globex: 1 report × 10 − 1 ticket × 4 = 6.
    const score = (externalId: string) =>
      server.query<number>(sql`SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ${externalId}`);
    expect(await score("acme-corp")).toBe(3000);
    expect(await score("globex")).toBe(600);
    await page.goto(at("/"));
    await expect(page.getByTestId("stat-average")).toContainText("18");
    await expect(page.getByTestId("setup-banner")).toContainText("Setup: 2 of 3 steps done.");
  });

  await test.step("inviting a teammate completes the setup", async () => {
    await page.goto(at("/admin"));
    await page.getByTestId(step("team")).getByRole("link", { name: "Add a user" }).click();
    await expect(page).toHaveURL(/\/admin\/users\/new$/);
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Manny Manager");
    await page.getByRole("textbox", { name: "Email", exact: true }).fill("manny@example.com");
    await page.getByRole("radio", { name: "Manager" }).check();
    await page.getByRole("textbox", { name: "First password" }).fill("manager-password-1");
    await page.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByText("Manny Manager can sign in now")).toBeVisible();

    await page.goto(at("/admin"));
    await expect(page.getByRole("heading", { name: "Setup complete" })).toBeVisible();
    await expect(page.getByTestId("setup-progress")).toHaveText("3 of 3 done");
    for (const id of ["data", "weights", "team"]) await expect(page.getByTestId(step(id))).toHaveAttribute("data-done", "true");
    await page.goto(at("/"));
    await expect(page.getByTestId("setup-banner")).toHaveCount(0);
  });
});
