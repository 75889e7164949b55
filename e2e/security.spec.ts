import { expect, test } from "./fixtures";

test("pages and APIs carry the security headers", async ({ page }) => {
  const pageResponse = await page.request.get("/");
  const pageHeaders = pageResponse.headers();
  const csp = pageHeaders["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-eval");
  expect(pageHeaders["x-content-type-options"]).toBe("nosniff");
  expect(pageHeaders["referrer-policy"]).toBe("same-origin");
  expect(pageHeaders["x-frame-options"]).toBe("DENY");

  // A fresh nonce on every request.
  const again = (await page.request.get("/")).headers()["content-security-policy"];
  expect(again).not.toBe(csp);

  for (const path of ["/api/health", "/api/admin/users"]) {
    const headers = (await page.request.get(path)).headers();
    expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
  }
});

test("small JSON answers go uncompressed (gzip would cost more CPU than it saves), large ones gzipped", async ({ page }) => {
  const gzip = { "accept-encoding": "gzip" };
  const live = await page.request.get("/api/health/live", { headers: gzip });
  expect(live.headers()["content-encoding"]).toBeUndefined();
  expect(live.headers()["cache-control"]).toBe("no-store, no-transform");
  expect(await live.json()).toEqual({ ok: true });
  const refused = await page.request.post("/v1/track", { headers: { ...gzip, authorization: "Basic bm90LWEta2V5Og==" }, data: { type: "track", event: "x", userId: "u" } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-encoding"]).toBeUndefined();
  const openApi = await page.request.get("/api/v1/openapi.json", { headers: gzip });
  expect(openApi.headers()["content-encoding"]).toBe("gzip");
  expect(((await openApi.json()) as { openapi: string }).openapi).toMatch(/^3\./);
});

test("the app works under its Content-Security-Policy: no violations, charts and forms run", async ({ page }) => {
  const violations: string[] = [];
  await page.exposeFunction("reportCspViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportCspViolation: (v: string) => void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await page.goto("/");
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.goto("/admin/users/new");
  // Client-side validation (zod) runs in the browser.
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await page.goto("/account");
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();

  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
});

test.describe("signed out", () => {
  test.use({ role: "signed-out" });

  test("the sign-in page works under the CSP", async ({ page }) => {
    const violations: string[] = [];
    await page.exposeFunction("reportCspViolation", (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        (window as unknown as { reportCspViolation: (v: string) => void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Show password" }).click();
    await expect(page.getByRole("button", { name: "Hide password" })).toBeVisible();
    expect(violations).toEqual([]);
  });
});

test.describe("the request fixture", () => {
  test.use({ role: "viewer" });

  test("acts as the spec's role", async ({ request }) => {
    expect((await request.get("/api/admin/users")).status()).toBe(403);
    expect((await request.get("/api/auth/get-session")).status()).toBe(200);
    const session = (await (await request.get("/api/auth/get-session")).json()) as { user?: { email?: string } } | null;
    expect(session?.user?.email).toBe("viewer@example.com");
  });
});
