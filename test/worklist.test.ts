import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { dayFromIsoDate } from "@/lib/days";
import { addNote, getAccountActivity, logContact, snoozeAccount, unsnoozeAccount } from "@/lib/accounts/server/worklist";
import { createTestDb } from "./db";

let db: Db;
let cleanup: () => Promise<void>;
let accountId = 0;
const TODAY = dayFromIsoDate("2026-03-31");
const author = { id: "u1", name: "Ann Ames" };

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  accountId = (await db.value<number>(sql`INSERT INTO accounts (external_id, name, signup_date) VALUES ('acme', 'Acme Corp', '2023-02-01') RETURNING id`)) ?? 0;
});
afterAll(async () => cleanup());

describe("account activity", () => {
  it("refuses to write for an account that does not exist", async () => {
    expect(await logContact(db, { accountId: 999_999, author, outcome: "reached" })).toBeNull();
    expect(await addNote(db, { accountId: 999_999, author, body: "x" })).toBeNull();
    expect(await snoozeAccount(db, { accountId: 999_999, author, until: "2026-04-10" })).toBeNull();
    expect(await unsnoozeAccount(db, { accountId: 999_999 })).toBe(false);
    expect(await getAccountActivity(db, { accountId: 999_999, today: TODAY })).toBeNull();
  });

  it("keeps contacts and notes newest first, with who wrote them, and the active snooze", async () => {
    const first = await logContact(db, { accountId, author, outcome: "voicemail", contactedAt: Date.UTC(2026, 2, 30, 9) });
    const second = await logContact(db, { accountId, author, outcome: "reached", note: "Renewal on track", contactedAt: Date.UTC(2026, 2, 31, 9) });
    expect(second).toEqual({
      id: second?.id,
      accountId,
      outcome: "reached",
      contactedAt: Date.UTC(2026, 2, 31, 9),
      note: "Renewal on track",
      by: "Ann Ames",
      byId: "u1",
    });
    const note = await addNote(db, { accountId, author, body: "Champion left; new sponsor is Dana." });
    expect(note).toMatchObject({ accountId, body: "Champion left; new sponsor is Dana.", by: "Ann Ames", byId: "u1" });
    expect(typeof note?.createdAt).toBe("number");
    await snoozeAccount(db, { accountId, author, until: "2026-04-07" });
    const again = await snoozeAccount(db, { accountId, author: { id: "u2", name: "Ben Bell" }, until: "2026-04-14" });
    expect(again).toMatchObject({ accountId, until: "2026-04-14", by: "Ben Bell" });
    expect(typeof again?.createdAt).toBe("number");
    expect(await db.value<number>(sql`SELECT count(*) FROM account_snoozes WHERE account_id = ${accountId}`)).toBe(1);

    const activity = await getAccountActivity(db, { accountId, today: TODAY });
    expect(activity?.contacts.map((c) => c.id)).toEqual([second?.id, first?.id]);
    expect(activity?.contacts[0]).toMatchObject({ outcome: "reached", note: "Renewal on track", by: "Ann Ames", byId: "u1" });
    expect(activity?.notes.map((n) => n.body)).toEqual(["Champion left; new sponsor is Dana."]);
    expect(activity?.snooze).toMatchObject({ until: "2026-04-14", by: "Ben Bell" });
    // On the snooze's last day it no longer counts.
    expect((await getAccountActivity(db, { accountId, today: dayFromIsoDate("2026-04-14") }))?.snooze).toBeNull();
  });

  it("returns at most `limit` contacts and notes", async () => {
    for (let i = 0; i < 3; i++) await addNote(db, { accountId, author, body: `note ${i}` });
    const activity = await getAccountActivity(db, { accountId, today: TODAY, limit: 2 });
    expect(activity?.notes).toHaveLength(2);
    expect(activity?.contacts).toHaveLength(2);
  });

  it("un-snoozes an account", async () => {
    expect(await unsnoozeAccount(db, { accountId })).toBe(true);
    expect((await getAccountActivity(db, { accountId, today: TODAY }))?.snooze).toBeNull();
  });
});
