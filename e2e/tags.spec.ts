import { expect, test } from "./fixtures";

test("an admin tags accounts by external id and compares the tag as a segment", async ({ page }) => {
  const tag = `e2e-${Date.now().toString(36)}`;
  await page.goto("/admin/tags");
  await expect(page.getByRole("heading", { level: 1, name: "Tags" })).toBeVisible();
  await expect(page.getByTestId("tags-admin")).toHaveAttribute("data-hydrated", "true");
  const form = page.getByRole("form", { name: "Bulk tagging" });
  await form.getByLabel("Tag", { exact: true }).fill(tag);
  await form.getByRole("button", { name: "By external ids" }).click();
  await form.getByLabel(/External ids/).fill("acc_00001, acc_00002\nacc_99999");
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("tag-preview")).toContainText("matches 2 accounts");
  await expect(page.getByTestId("tag-preview")).toContainText("acc_99999");
  await form.getByRole("button", { name: "Tag 2 accounts" }).click();
  await expect(page.getByTestId("tag-done")).toContainText("2 accounts tagged");
  await expect(page.getByRole("list", { name: "Tags" }).getByTestId("tag-item").filter({ hasText: tag })).toContainText("2 accounts");

  await page.goto("/segments?dimension=tag");
  await expect(page.getByTestId(`segment-row-${tag}`).getByTestId("segment-accounts")).toHaveText("2");

  // Leave the data as it was for the other specs.
  await page.goto("/admin/tags");
  await expect(page.getByTestId("tags-admin")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: `Remove the tag ${tag} from all accounts` }).click();
  await page.getByRole("list", { name: "Tags" }).getByRole("button", { name: "Remove", exact: true }).click();
  await expect(page.getByRole("list", { name: "Tags" }).getByText(tag)).toHaveCount(0);
});
