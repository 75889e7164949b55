import { sql } from "drizzle-orm";
import type { Page } from "@playwright/test";
import { withE2eDb } from "./db";
import { expect, test } from "./fixtures";
import { HOSTILE_ACCOUNT_NAMES, HOSTILE_USER_NAMES } from "./hostile-names";
import { uniqueEmail } from "./users";

/** Any script that ran sets window.__ces_pwned; any alert() would open a dialog. */
async function watchForScripts(page: Page): Promise<() => Promise<void>> {
  const dialogs: string[] = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return async () => {
    expect(await page.evaluate(() => (window as unknown as { __ces_pwned?: string }).__ces_pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  };
}

test("hostile account names are stored verbatim and shown as text", async ({ page }) => {
  const { stored, accounts } = await withE2eDb(async (db) => ({
    stored: await db.all<{ name: string }>(sql`SELECT name FROM accounts WHERE name IN (${HOSTILE_ACCOUNT_NAMES.riser}, ${HOSTILE_ACCOUNT_NAMES.faller})`),
    accounts: (await db.value<number>(sql`SELECT count(*) FROM accounts`)) ?? 0,
  }));
  expect(stored).toHaveLength(2);
  expect(accounts).toBeGreaterThan(0);

  const check = await watchForScripts(page);
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Biggest risers" }).getByText(HOSTILE_ACCOUNT_NAMES.riser, { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Biggest drops" }).getByText(HOSTILE_ACCOUNT_NAMES.faller, { exact: true })).toBeVisible();
  await check();
});

test("hostile user names are stored verbatim and shown as text", async ({ page }) => {
  const emails: string[] = [];
  for (const name of HOSTILE_USER_NAMES) {
    const email = uniqueEmail("hostile");
    emails.push(email);
    const response = await page.request.post("/api/admin/users", {
      data: { name, email, role: "viewer", accountManagerName: null, password: "e2e-password-123" },
    });
    expect(response.status(), await response.text()).toBe(201);
  }

  await withE2eDb(async (db) => {
    for (const [i, email] of emails.entries()) {
      expect(await db.value<string>(sql`SELECT name FROM users WHERE email = ${email}`)).toBe(HOSTILE_USER_NAMES[i]);
    }
    expect(await db.value<number>(sql`SELECT count(*) FROM users`)).toBeGreaterThanOrEqual(5);
  });

  const check = await watchForScripts(page);
  await page.goto("/admin/users");
  const table = page.getByTestId("users-table");
  for (const name of HOSTILE_USER_NAMES) await expect(table.getByText(name, { exact: true })).toBeVisible();
  await page.goto("/admin/audit");
  for (const name of HOSTILE_USER_NAMES) await expect(page.getByTestId("audit-entries").getByText(name, { exact: false }).first()).toBeVisible();
  await check();
});
