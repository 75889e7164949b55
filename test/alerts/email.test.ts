import { sql } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { isoDateFromDay } from "@/lib/days";
import { defaultRule } from "@/lib/alerts/rules";
import { Dispatcher } from "@/lib/alerts/server/dispatcher";
import { queueDigests } from "@/lib/alerts/server/digests";
import { ensureEmailPreferences, saveEmailSettings, unsubscribe, unsubscribeTarget } from "@/lib/alerts/server/email-settings";
import { evaluateTransitions } from "@/lib/alerts/server/evaluator";
import { saveRule } from "@/lib/alerts/server/rules";
import { createTestDb } from "@/test/db";
import { ADMIN, count, insertAccount, insertUser, setScore, startSmtp, type SmtpReceiver } from "./helpers";
import { pinClock } from "@/test/clock";

/**
 * Email against a real SMTP server the test starts (smtp-server), reading every message back
 * (mailparser): the daily digest per account manager and immediate alerts, with their text and
 * HTML parts, links and per-person unsubscribe.
 */
let db: Db;
let cleanup: () => Promise<void>;
let smtp: SmtpReceiver;
const today = pinClock();

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  smtp = await startSmtp();
  await saveEmailSettings(db, {
    actor: ADMIN,
    smtpHost: "127.0.0.1",
    smtpPort: smtp.port,
    smtpSecurity: "none",
    smtpUsername: null,
    smtpPassword: undefined,
    fromAddress: "CES alerts <alerts@ces.example.com>",
    digestHourUtc: 7,
  });
  await insertUser(db, { id: "u-alice", name: "Alice Moreau", email: "alice@example.com", role: "manager", book: "Alice Moreau" });
  await insertUser(db, { id: "u-bob", name: "Bob Stone", email: "bob@example.com", role: "manager", book: "Bob Stone" });
  await insertUser(db, { id: ADMIN.id, name: ADMIN.name, email: "admin@example.com", role: "admin" });
});
afterAll(async () => {
  await smtp.close();
  await cleanup();
});

function headerLine(mail: ParsedMail | undefined, key: string): string | undefined {
  // Unfolded: long header lines are folded onto several lines in the raw message.
  return mail?.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n\s+/g, " ");
}

function dispatcher(): Dispatcher {
  return new Dispatcher(db, { owner: "mailer", policy: { allowInsecure: true, allowPrivateNetworks: true } });
}

describe("the daily digest", () => {
  it("tells each manager whom to call today: tasks, alerts and renewals of their book, in text and HTML", async () => {
    await saveRule(db, { actor: ADMIN, rule: { ...defaultRule("band_drop"), enabled: true } });
    const dropped = await insertAccount(db, { externalId: "dg-1", name: "Globex <Dropped> & Co", manager: "Alice Moreau" });
    await setScore(db, dropped, { points: 55 });
    await setScore(db, dropped, { points: 32 });
    await evaluateTransitions(db);
    const renewing = await insertAccount(db, { externalId: "dg-2", name: "Initech Renewing", manager: "Alice Moreau", renewalDate: isoDateFromDay(today + 12) });
    await setScore(db, renewing, { points: 64 });
    const bobs = await insertAccount(db, { externalId: "dg-3", name: "Bob's Account", manager: "Bob Stone", renewalDate: isoDateFromDay(today + 3) });
    await setScore(db, bobs, { points: 20 });

    const summary = await queueDigests(db, { today });
    expect(summary).toMatchObject({ recipients: 2, queued: 2, skipped: null });
    // The daily run has one id per person and day: running it again queues nothing.
    expect(await queueDigests(db, { today })).toMatchObject({ queued: 0 });
    await dispatcher().runOnce();
    const mails = await smtp.waitFor(2);
    const alice = mails.find((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === "alice@example.com");
    expect(alice?.subject).toMatch(/^Whom to call today: 1 task, 1 alert, 1 renewal · /);
    expect(alice?.text).toContain("Globex <Dropped> & Co: Globex <Dropped> & Co dropped from Medium to Low");
    expect(alice?.text).toContain(`Initech Renewing: renews`);
    expect(alice?.text).not.toContain("Bob's Account");
    const html = typeof alice?.html === "string" ? alice.html : "";
    // Names are escaped in the HTML part, and link to the account pages and My tasks.
    expect(html).toContain("Globex &lt;Dropped&gt; &amp; Co");
    expect(html).not.toContain("<Dropped>");
    expect(html).toMatch(new RegExp(`href="http://localhost:\\d+/accounts/${dropped}"`));
    expect(html).toMatch(/href="http:\/\/localhost:\d+\/tasks"/);
    expect(headerLine(alice, "list-unsubscribe")).toMatch(/^List-Unsubscribe: <http:\/\/localhost:\d+\/api\/unsubscribe\?token=[\w-]+&list=digest>/);
    expect(alice?.text).toMatch(/Unsubscribe: http:\/\/localhost:\d+\/unsubscribe\?token=[\w-]+&list=digest/);
    expect(headerLine(alice, "list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(alice?.from?.value[0]).toMatchObject({ name: "CES alerts", address: "alerts@ces.example.com" });
  });

  it("stops for a person who unsubscribed, and for nobody else", async () => {
    const preferences = await ensureEmailPreferences(db, { userId: "u-bob" });
    expect(await unsubscribeTarget(db, { token: "not-a-token" })).toBeNull();
    expect(await unsubscribe(db, { token: preferences.unsubscribeToken, list: "digest" })).toMatchObject({ email: "bob@example.com", digest: false, immediate: true });
    const summary = await queueDigests(db, { today, manual: true });
    expect(summary).toMatchObject({ recipients: 1, queued: 1 });
    const before = smtp.messages.length;
    await dispatcher().runOnce();
    const mails = await smtp.waitFor(before + 1);
    expect(mails.slice(before).map((m) => (m.to && !Array.isArray(m.to) ? m.to.value[0]?.address : null))).toEqual(["alice@example.com"]);
  });
});

describe("immediate alerts", () => {
  it("go to the account's managers who want them, when the rule says so", async () => {
    await saveRule(db, { actor: ADMIN, rule: { ...defaultRule("churn_risk"), enabled: true, emailImmediately: true } });
    const id = await insertAccount(db, { externalId: "im-1", name: "Umbrella Risk", manager: "Alice Moreau" });
    await setScore(db, id, { points: 8 });
    await setScore(db, id, { points: -3 });
    await evaluateTransitions(db);
    expect(await count(db, sql`SELECT count(*) FROM outbox WHERE channel = 'email' AND event_type = 'alert.fired'`)).toBe(1);
    const before = smtp.messages.length;
    await dispatcher().runOnce();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail?.subject).toBe("Umbrella Risk entered churn risk");
    expect(mail?.text).toContain("Score −3 (was 8)");
    expect(typeof mail?.html === "string" ? mail.html : "").toMatch(new RegExp(`/accounts/${id}"`));
    expect(headerLine(mail, "list-unsubscribe")).toContain("list=immediate");
  });
});

describe("a failing SMTP server", () => {
  it("is logged with the reason, and retried", async () => {
    await saveEmailSettings(db, { actor: ADMIN, smtpHost: "127.0.0.1", smtpPort: 1, smtpSecurity: "none", smtpUsername: null, smtpPassword: undefined, fromAddress: "a@b.c", digestHourUtc: 7 });
    await queueDigests(db, { today, manual: true, userIds: ["u-alice"] });
    await dispatcher().runOnce();
    const row = await db.get<{ status: string; lastError: string }>(sql`SELECT status, last_error AS "lastError" FROM outbox WHERE channel = 'email' ORDER BY id DESC LIMIT 1`);
    expect(row?.status).toBe("pending");
    expect(row?.lastError).toMatch(/^SMTP \(127\.0\.0\.1:1\): .*ECONNREFUSED/);
  });
});
