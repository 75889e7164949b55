import { expect, test } from "./fixtures";

test("an admin creates a read API token, reads scores with it, and revokes it", async ({ page, playwright, baseURL }) => {
  const label = `BI sync ${Date.now().toString(36)}`;
  await page.goto("/admin/api-tokens");
  const form = page.getByRole("region", { name: "Read API tokens" });
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByRole("alert")).toBeVisible();

  await form.getByLabel("Label for the new token").fill(label);
  await form.getByRole("button", { name: "Create token" }).click();
  const reveal = page.getByTestId("new-api-token");
  await expect(reveal.getByRole("heading", { name: `Token “${label}” created` })).toBeVisible();
  await expect(reveal).toContainText("will not be shown again");
  const token = await reveal.getByLabel("New API token").inputValue();
  expect(token.length).toBeGreaterThan(20);
  await expect(reveal.getByRole("button", { name: "Copy token" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("api-token-reveal.png"), fullPage: true });

  // The token reads scores, and nothing but scores: no session comes with it.
  const client = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const scores = await client.get("/api/v1/scores?limit=1", { headers: { Authorization: `Bearer ${token}` } });
  expect(scores.status()).toBe(200);

  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
  const row = page.getByTestId("api-token-row").filter({ hasText: label });
  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog", { name: `Revoke ${label}` }).getByRole("button", { name: "Revoke token" }).click();
  await expect(row).toContainText("Revoked");
  const refused = await client.get("/api/v1/scores?limit=1", { headers: { Authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);
  await client.dispose();
});
