import { sql } from "drizzle-orm";
import { storedValue } from "./db";
import { expect, test } from "./fixtures";

/**
 * Event names as senders write them (issue 22): a type's display label counts for it; a name
 * that nearly matches waits on the weights page until an admin maps it, and then its counts
 * move and the score follows. Writes only its own accounts (e2e-names-*).
 */
const scoreOf = (account: string) =>
  storedValue<number>(sql`SELECT s.score_hundredths FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE a.external_id = ${account}`);

test("a display label counts for its type; a near name is held, mapped by an admin, and its counts move", async ({ page, request }) => {
  const created = await request.post("/api/admin/keys", { data: { label: "E2E event names" } });
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: string };
  const send = (event: string, hoursAgo: number) =>
    request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${key}` },
      data: { events: [{ event, accountId: "e2e-names-1", timestamp: new Date(Date.now() - hoursAgo * 3_600_000).toISOString() }] },
    });

  const typesBefore = await storedValue<number>(sql`SELECT count(*) FROM event_types`);
  expect((await send("Webinar registration", 1)).status()).toBe(200);
  expect(await storedValue<number>(sql`SELECT count(*) FROM event_types`)).toBe(typesBefore);
  expect(await scoreOf("e2e-names-1")).toBe(300);

  expect((await send("Webinar registrations", 2)).status()).toBe(200);
  expect((await send("webinar-registrations", 3)).status()).toBe(200);
  expect(await storedValue<number>(sql`SELECT held FROM event_types WHERE key = 'webinar_registrations'`)).toBe(1);
  expect(await scoreOf("e2e-names-1")).toBe(300);

  await page.goto("/admin/weights");
  const waiting = page.getByRole("region", { name: "Event names waiting for you" });
  const held = waiting.getByTestId("held-type-webinar_registrations");
  await expect(held).toContainText("“Webinar registrations”");
  await expect(held).toContainText("2 events in 30 days, counting 0");
  // Held names are decided here, not weighed in the table.
  await expect(page.getByTestId("type-row-webinar_registrations")).toHaveCount(0);
  await expect(page.getByTestId("event-name-rule")).toContainText("“Webinar registration” counts for webinar_registered");

  await held.getByRole("button", { name: "Webinar registration?" }).click();
  await expect(waiting.getByRole("status")).toHaveText("“Webinar registrations” now counts for Webinar registration: 2 events moved, 1 account rescored.");
  await expect(held).toHaveCount(0);
  expect(await storedValue<number>(sql`SELECT count(*) FROM event_types WHERE key = 'webinar_registrations'`)).toBe(0);
  expect(await scoreOf("e2e-names-1")).toBe(900);

  // The name is remembered; the audit log says who mapped what.
  expect((await send("Webinar Registrations", 4)).status()).toBe(200);
  expect(await scoreOf("e2e-names-1")).toBe(1200);
  await page.goto("/admin/audit");
  await expect(page.getByText("“Webinar registrations” → Webinar registration: 2 events moved, 1 account rescored")).toBeVisible();
});
