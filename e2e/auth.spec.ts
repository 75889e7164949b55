import { sql } from "drizzle-orm";
import type { Page } from "@playwright/test";
import { demoUser } from "@/lib/demo/users";
import { withE2eDb } from "./db";
import { E2E_BASE_URL, expect, test } from "./fixtures";
import { createTestUser } from "./users";

async function signInThroughForm(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

function formAlert(page: Page) {
  return page.getByRole("form", { name: "Sign in" }).getByRole("alert");
}

async function signOutThroughMenu(page: Page) {
  const menu = page.getByRole("button", { name: "Open menu" });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole("button", { name: "Sign out" }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

test.describe("signed out", () => {
  test.use({ role: "signed-out" });

  test("a page sends you to sign-in and back to it afterwards", async ({ page }) => {
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin%2Fusers$/);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    const admin = demoUser("admin");
    await signInThroughForm(page, admin.email, admin.password);
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
    await expect(page.getByTestId("signed-in-name").filter({ visible: true })).toHaveText(admin.name);
  });

  test("a wrong password is refused with a clear message", async ({ page }) => {
    await page.goto("/sign-in");
    await signInThroughForm(page, demoUser("viewer").email, "not-the-password");
    await expect(formAlert(page)).toContainText("do not match");
    await expect(page).toHaveURL(/\/sign-in$/);
  });

  test("signing out ends the session", async ({ page }) => {
    const viewer = demoUser("viewer");
    await page.goto("/sign-in");
    await signInThroughForm(page, viewer.email, viewer.password);
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await signOutThroughMenu(page);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in$/);
    const response = await page.request.get("/api/admin/users");
    expect(response.status()).toBe(401);
  });

  test("the first-run setup page is closed once users exist", async ({ page }) => {
    await page.goto("/setup");
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});

test.describe("as a manager", () => {
  test.use({ role: "manager" });

  test("the admin pages are closed, and not in the navigation", async ({ page }) => {
    for (const path of ["/admin", "/admin/users", "/admin/weights", "/admin/audit"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/forbidden\?role=admin$/);
      await expect(page.getByRole("heading", { level: 1, name: "You don't have access to that page" })).toBeVisible();
    }
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Overview" }).first()).toBeVisible();
  });

  test("the admin API answers 403", async ({ page }) => {
    const response = await page.request.get("/api/admin/users");
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ success: false, error: { code: "forbidden" } });
  });
});

test.describe("as an administrator", () => {
  test("creates a user who can then sign in", async ({ page, browser }) => {
    const email = `new.manager.${Date.now()}@e2e.example.com`;
    await page.goto("/admin/users");
    await page.getByRole("link", { name: "Add user" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Add user" })).toBeVisible();
    await page.getByLabel("Name").fill("Nina Newhire");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("radio", { name: /Manager/ }).check();
    await page.getByLabel("Book of accounts").selectOption("Alice Moreau");
    await page.getByRole("button", { name: "Generate a strong password" }).click();
    await page.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByText("Nina Newhire can sign in now")).toBeVisible();
    const password = (await page.getByTestId("credential-password").textContent()) ?? "";
    expect(password.length).toBeGreaterThanOrEqual(10);

    await page.getByRole("link", { name: "Back to users" }).click();
    const row = page.getByTestId("users-table").locator(`tr[data-user-email="${email}"]`);
    await expect(row).toContainText("Nina Newhire");
    await expect(row).toContainText("Manager");
    await expect(row).toContainText("Alice Moreau");

    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const newcomer = await context.newPage();
    await newcomer.goto("/sign-in");
    await signInThroughForm(newcomer, email, password);
    await expect(newcomer.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(newcomer.getByTestId("signed-in-name").filter({ visible: true })).toHaveText("Nina Newhire");
    await context.close();

    await page.goto("/admin/audit");
    await expect(page.getByTestId("audit-entries").locator('li[data-action="user.create"]').first()).toContainText(email);
  });

  test("deactivating a user ends their sessions and stops sign-in", async ({ page, browser }) => {
    const user = await createTestUser(page.request, "viewer", "Dora Departing");
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const theirs = await context.newPage();
    await theirs.goto("/sign-in");
    await signInThroughForm(theirs, user.email, user.password);
    await expect(theirs.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();

    await page.goto(`/admin/users/${user.id}`);
    await page.getByRole("button", { name: "Deactivate user" }).click();
    await page.getByRole("button", { name: "Yes, deactivate" }).click();
    await expect(page.getByRole("button", { name: "Reactivate user" })).toBeVisible();

    await theirs.goto("/");
    await expect(theirs).toHaveURL(/\/sign-in$/);
    await signInThroughForm(theirs, user.email, user.password);
    await expect(formAlert(theirs)).toContainText("deactivated");
    await context.close();

    await page.goto("/admin/audit");
    await expect(page.getByTestId("audit-entries").locator('li[data-action="user.deactivate"]').first()).toContainText(user.email);
  });

  test("the last active administrator cannot be demoted or deactivated", async ({ page }) => {
    const { admins, adminId } = await withE2eDb(async (db) => ({
      admins: await db.value<number>(sql`SELECT count(*) FROM users WHERE role = 'admin' AND deactivated_at IS NULL`),
      adminId: (await db.value<string>(sql`SELECT id FROM users WHERE email = ${demoUser("admin").email}`)) ?? "",
    }));
    test.skip(admins !== 1, "another spec made a second administrator");
    const demote = await page.request.patch(`/api/admin/users/${adminId}`, { data: { role: "viewer" } });
    expect(demote.status()).toBe(409);
    expect(await demote.json()).toMatchObject({ success: false, error: { code: "last_admin", field: "role" } });
  });

  test("a user changes their own password", async ({ page, browser }) => {
    const user = await createTestUser(page.request, "manager", "Pat Passwordchange");
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const theirs = await context.newPage();
    await theirs.goto("/sign-in");
    await signInThroughForm(theirs, user.email, user.password);
    await expect(theirs.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await theirs.goto("/account");
    await theirs.getByLabel("Current password", { exact: true }).fill(user.password);
    await theirs.getByLabel("New password", { exact: true }).fill("a-brand-new-password");
    await theirs.getByLabel("Confirm new password", { exact: true }).fill("a-brand-new-password");
    await theirs.getByRole("button", { name: "Change password" }).click();
    await expect(theirs.getByRole("form", { name: "Change password" }).getByRole("status")).toContainText("Password changed");
    await signOutThroughMenu(theirs);
    await signInThroughForm(theirs, user.email, user.password);
    await expect(formAlert(theirs)).toContainText("do not match");
    await signInThroughForm(theirs, user.email, "a-brand-new-password");
    await expect(theirs.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await context.close();
  });

  test("repeated wrong passwords lock the email for a while", async ({ page, playwright }) => {
    const user = await createTestUser(page.request, "viewer", "Lou Locked");
    const anonymous = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { origin: E2E_BASE_URL } });
    for (let i = 0; i < 5; i++) {
      const response = await anonymous.post("/api/auth/sign-in/email", { data: { email: user.email, password: `wrong-${i}-password` } });
      expect(response.status()).toBe(401);
    }
    const locked = await anonymous.post("/api/auth/sign-in/email", { data: { email: user.email, password: user.password } });
    expect(locked.status()).toBe(429);
    expect(await locked.json()).toMatchObject({ code: "SIGN_IN_LOCKED" });
    await anonymous.dispose();
  });
});
