import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { isoDateFromDay } from "@/lib/days";
import { accountTasks, completeTask, countTasks, dismissTask, listTasks } from "@/lib/alerts/server/tasks";
import { listNotifications, markNotificationsRead } from "@/lib/alerts/server/notifications";
import { createTestDb } from "@/test/db";
import { count, insertAccount, insertUser, setScore } from "./helpers";
import { pinClock } from "@/test/clock";

/** Working tasks: My tasks per book, completing one logs the contact, and the notifications menu. */
let db: Db;
let cleanup: () => Promise<void>;
const today = pinClock();
let acme: number;
let globex: number;

async function task(accountId: number, title: string, due: number, assignee: string | null): Promise<number> {
  const id = await db.value<number>(sql`INSERT INTO tasks (account_id, rule_kind, title, playbook, assignee, due_date, status, created_at)
    VALUES (${accountId}, NULL, ${title}, 'Call them.', ${assignee}, ${isoDateFromDay(due)}, 'open', ${Date.now()}) RETURNING id`);
  if (id === undefined) throw new Error("no id");
  return id;
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await insertUser(db, { id: "u-alice", name: "Alice Moreau", email: "alice@example.com", book: "Alice Moreau" });
  acme = await insertAccount(db, { externalId: "acme", name: "Acme", manager: "Alice Moreau" });
  globex = await insertAccount(db, { externalId: "globex", name: "Globex", manager: "Bob Stone" });
  await setScore(db, acme, { points: 35 });
});
afterAll(async () => cleanup());

describe("tasks", () => {
  it("list a book's open tasks soonest due first, with counts of overdue and due today", async () => {
    const late = await task(acme, "Overdue call", today - 2, "Alice Moreau");
    const now = await task(acme, "Call today", today, "Alice Moreau");
    await task(globex, "Bob's call", today - 5, "Bob Stone");
    const page = await listTasks(db, { assignee: "Alice Moreau", status: "open", limit: 10, offset: 0 });
    expect(page.total).toBe(2);
    expect(page.tasks.map((t) => t.id)).toEqual([late, now]);
    expect(page.tasks[0]).toMatchObject({ accountName: "Acme", scoreHundredths: 3500, band: "low", status: "open" });
    expect(await countTasks(db, { assignee: "Alice Moreau", today })).toEqual({ open: 2, overdue: 1, dueToday: 1 });
    expect(await countTasks(db, { assignee: null, today })).toEqual({ open: 3, overdue: 2, dueToday: 1 });
  });

  it("completing one logs the contact on the account, once", async () => {
    const id = await task(acme, "Call about the drop", today, "Alice Moreau");
    const done = await completeTask(db, { id, actor: { id: "u-alice", name: "Alice Moreau" }, outcome: "reached", note: "Agreed a training session." });
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    expect(done.task).toMatchObject({ status: "done", completedByName: "Alice Moreau", contactOutcome: "reached" });
    const contacts = await db.all<{ outcome: string; note: string; userName: string }>(sql`SELECT outcome, note, user_name AS "userName" FROM account_contacts WHERE account_id = ${acme}`);
    expect(contacts).toEqual([{ outcome: "reached", note: "Agreed a training session.", userName: "Alice Moreau" }]);
    expect(await completeTask(db, { id, actor: { id: "u-alice", name: "Alice Moreau" }, outcome: "reached", note: "" })).toMatchObject({ ok: false, reason: "closed" });
    expect(await count(db, sql`SELECT count(*) FROM account_contacts WHERE account_id = ${acme}`)).toBe(1);
    expect(await completeTask(db, { id: 999_999, actor: { id: "u-alice", name: "Alice Moreau" }, outcome: "reached", note: "" })).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("dismissing one logs no contact; the account page shows open and closed tasks", async () => {
    const id = await task(globex, "No longer relevant", today, "Bob Stone");
    expect(await dismissTask(db, { id, actor: { id: "u-alice", name: "Alice Moreau" } })).toMatchObject({ ok: true, task: { status: "dismissed" } });
    expect(await count(db, sql`SELECT count(*) FROM account_contacts WHERE account_id = ${globex}`)).toBe(0);
    const onPage = await accountTasks(db, { accountId: globex });
    expect(onPage.map((t) => [t.title, t.status])).toEqual([
      ["Bob's call", "open"],
      ["No longer relevant", "dismissed"],
    ]);
  });
});

describe("notifications", () => {
  it("count what is unread and mark only the person's own as read", async () => {
    await insertUser(db, { id: "u-bob", name: "Bob Stone", email: "bob@example.com", book: "Bob Stone" });
    for (const [user, title] of [["u-alice", "One"], ["u-alice", "Two"], ["u-bob", "Bob's"]] as const) {
      await db.run(sql`INSERT INTO notifications (user_id, title, body, link, created_at) VALUES (${user}, ${title}, '', '/', ${Date.now()})`);
    }
    const alice = await listNotifications(db, { userId: "u-alice", limit: 10 });
    expect(alice.unread).toBe(2);
    const bobsId = (await listNotifications(db, { userId: "u-bob", limit: 10 })).items[0]?.id ?? 0;
    // Alice cannot mark Bob's notification.
    expect(await markNotificationsRead(db, { userId: "u-alice", ids: [bobsId, alice.items[0]?.id ?? 0] })).toBe(1);
    expect((await listNotifications(db, { userId: "u-alice", limit: 10 })).unread).toBe(1);
    expect((await listNotifications(db, { userId: "u-bob", limit: 10 })).unread).toBe(1);
    expect(await markNotificationsRead(db, { userId: "u-alice", ids: "all" })).toBe(1);
    expect((await listNotifications(db, { userId: "u-alice", limit: 10 })).unread).toBe(0);
  });
});
