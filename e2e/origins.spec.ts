import type { Browser, Page } from "@playwright/test";
import { demoUser } from "@/lib/demo/users";
import { expect, test } from "./fixtures";
import { createTestUser } from "./users";

/**
 * Issue 13 item 2: the demo works at whatever address it was opened. The e2e server runs with
 * the demo's own origin settings (scripts/demo-auth-env.ts: no AUTH_URL, AUTH_TRUST_HOST) and
 * is reached here at http://127.0.0.1:<port> and at http://localhost:<port>, two different
 * origins of one server. Sign-in, sign-out and changing the password must work at both, in a
 * real browser, while a page of another site is still refused with a message that says why.
 */
const port = process.env.E2E_PORT ?? "3210";
const ADDRESSES = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

async function freshPage(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signOut(page: Page) {
  const menu = page.getByRole("button", { name: "Open menu" });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole("button", { name: "Sign out" }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

for (const address of ADDRESSES) {
  test.describe(`opened at ${address}`, () => {
    test.use({ role: "signed-out" });

    test("signs in and out through the form", async ({ browser }) => {
      const page = await freshPage(browser, address);
      const viewer = demoUser("viewer");
      await signIn(page, viewer.email, viewer.password);
      await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
      expect(new URL(page.url()).origin).toBe(address);
      await expect(page.getByRole("form", { name: "Sign in" })).toHaveCount(0);
      await signOut(page);
      // Signed out for real: the session cookie no longer opens anything.
      expect((await page.request.get("/api/overview")).status()).toBe(401);
      await page.context().close();
    });

    test("changes the password", async ({ browser, playwright, roleStates }) => {
      const admin = await playwright.request.newContext({ baseURL: ADDRESSES[0], storageState: await roleStates("admin") });
      const user = await createTestUser(admin, "viewer", "Olga Origin");
      await admin.dispose();

      const page = await freshPage(browser, address);
      await signIn(page, user.email, user.password);
      await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
      await page.goto("/account");
      await page.getByLabel("Current password", { exact: true }).fill(user.password);
      await page.getByLabel("New password", { exact: true }).fill("origin-new-password");
      await page.getByLabel("Confirm new password", { exact: true }).fill("origin-new-password");
      await page.getByRole("button", { name: "Change password" }).click();
      await expect(page.getByRole("form", { name: "Change password" }).getByRole("status")).toContainText("Password changed");
      await signOut(page);
      await signIn(page, user.email, "origin-new-password");
      await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
      await page.context().close();
    });
  });
}

test.describe("another site", () => {
  test.use({ role: "signed-out" });

  test("cannot sign in, sign out or change anything through a visitor's browser, and is told why", async ({ request, playwright, roleStates }) => {
    const viewer = demoUser("viewer");
    const foreign = { origin: "http://evil.example" };
    const signIn = await request.post("/api/auth/sign-in/email", { data: { email: viewer.email, password: viewer.password }, headers: foreign });
    expect(signIn.status()).toBe(403);
    expect(await signIn.json()).toMatchObject({ success: false, error: { code: "cross_origin", message: expect.stringContaining("http://evil.example") } });

    const admin = await playwright.request.newContext({ baseURL: ADDRESSES[0], storageState: await roleStates("admin") });
    const signOut = await admin.post("/api/auth/sign-out", { data: {}, headers: foreign });
    expect(signOut.status()).toBe(403);
    const key = await admin.post("/api/admin/keys", { data: { label: "made by another site" }, headers: foreign });
    expect(key.status()).toBe(403);
    expect(await key.json()).toMatchObject({ success: false, error: { code: "cross_origin" } });
    // Still signed in: the refused sign-out did nothing.
    expect((await admin.get("/api/admin/keys")).status()).toBe(200);
    const keys = (await (await admin.get("/api/admin/keys")).json()) as { keys: { label: string }[] };
    expect(keys.keys.map((k) => k.label)).not.toContain("made by another site");
    await admin.dispose();
  });
});
