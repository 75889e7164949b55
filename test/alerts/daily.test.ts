import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { isoDateFromDay, MS_PER_DAY, startOfDayMs } from "@/lib/days";
import { defaultRule, type AnyRule } from "@/lib/alerts/rules";
import { evaluateDailyRules } from "@/lib/alerts/server/daily-rules";
import { createDestination } from "@/lib/alerts/server/destinations";
import { claimJob, finishJob } from "@/lib/alerts/server/jobs";
import { saveRule } from "@/lib/alerts/server/rules";
import { queueScoresChanged, SCORES_CHANGED_PART_SIZE } from "@/lib/alerts/server/scores-changed";
import { createTestDb } from "@/test/db";
import { ADMIN, count, insertAccount, insertUser, setScore } from "./helpers";
import { pinClock } from "@/test/clock";

/**
 * The once-a-day work: time-based rules (renewal entering the window, trials ending with a low
 * score) fire once per account and date even when evaluated again or by a second server;
 * daily jobs are claimed once per period; the "scores changed" event covers a UTC day.
 */
let db: Db;
let cleanup: () => Promise<void>;
const today = pinClock();

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await insertUser(db, { id: "u-alice", name: "Alice Moreau", email: "alice@example.com", role: "manager", book: "Alice Moreau" });
});
afterAll(async () => cleanup());

async function enable(rule: AnyRule): Promise<void> {
  await saveRule(db, { actor: ADMIN, rule });
}

describe("the renewal rule", () => {
  it("fires for 40–80 accounts whose renewal entered the window since the last evaluation, once", async () => {
    await enable({ ...defaultRule("renewal_window"), enabled: true } as AnyRule);
    const entering = await insertAccount(db, { externalId: "rn-enter", manager: "Alice Moreau", renewalDate: isoDateFromDay(today + 90) });
    const inside = await insertAccount(db, { externalId: "rn-inside", manager: "Alice Moreau", renewalDate: isoDateFromDay(today + 40) });
    const low = await insertAccount(db, { externalId: "rn-low", manager: "Alice Moreau", renewalDate: isoDateFromDay(today + 90) });
    const later = await insertAccount(db, { externalId: "rn-later", manager: "Alice Moreau", renewalDate: isoDateFromDay(today + 91) });
    for (const id of [entering, inside, later]) await setScore(db, id, { points: 60 });
    await setScore(db, low, { points: 20 });

    // Switched on today: only what enters today fires (renewals already inside are not flooded in).
    expect(await evaluateDailyRules(db, { today })).toMatchObject({ evaluated: ["renewal_window"], alerts: 1 });
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${entering} AND rule_kind = 'renewal_window'`)).toBe(1);
    // The same day again, or a second server: nothing new.
    expect(await evaluateDailyRules(db, { today })).toMatchObject({ evaluated: [], alerts: 0 });

    // Tomorrow (a day later): the account renewing in 91 days enters the window.
    expect(await evaluateDailyRules(db, { today: today + 1, now: Date.now() + MS_PER_DAY })).toMatchObject({ alerts: 0, waiting: expect.stringContaining("not yet today") });
    await setScore(db, later, { points: 60, asOfDay: today + 1 });
    await db.run(sql`UPDATE account_scores SET as_of_day = ${today + 1}`);
    expect(await evaluateDailyRules(db, { today: today + 1, now: Date.now() + MS_PER_DAY })).toMatchObject({ alerts: 1 });
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${later}`)).toBe(1);
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id IN (${inside}, ${low})`)).toBe(0);
    const title = await db.value<string>(sql`SELECT title FROM tasks WHERE account_id = ${entering}`);
    expect(title).toMatch(/^rn-enter renews on /);
  });
});

describe("the trial rule", () => {
  it("fires once per trial ending within N days below the score", async () => {
    await db.run(sql`UPDATE account_scores SET as_of_day = ${today}`);
    await enable({ ...defaultRule("trial_ending"), enabled: true, params: { days: 7, belowScore: 30 } } as AnyRule);
    const ending = await insertAccount(db, { externalId: "tr-end", stage: "trial", manager: "Alice Moreau", trialEndDate: isoDateFromDay(today + 5) });
    const engaged = await insertAccount(db, { externalId: "tr-good", stage: "trial", trialEndDate: isoDateFromDay(today + 5) });
    const far = await insertAccount(db, { externalId: "tr-far", stage: "trial", trialEndDate: isoDateFromDay(today + 20) });
    await setScore(db, ending, { points: 12 });
    await setScore(db, engaged, { points: 45 });
    await setScore(db, far, { points: 5 });
    expect(await evaluateDailyRules(db, { today })).toMatchObject({ alerts: 1 });
    const summary = await db.value<string>(sql`SELECT summary FROM alerts WHERE account_id = ${ending}`);
    expect(summary).toBe("The trial ends in 5 days with a score of 12 (below 30).");
    // Evaluated again on a later day: the same trial does not fire twice.
    await db.run(sql`UPDATE account_scores SET as_of_day = ${today + 1}`);
    expect(await evaluateDailyRules(db, { today: today + 1 })).toMatchObject({ alerts: 0 });
  });
});

describe("daily jobs", () => {
  it("are claimed once per period; a lease that ran out can be taken over, a finished run cannot", async () => {
    const now = Date.now();
    expect(await claimJob(db, { job: "digest", period: "2030-01-01", owner: "server-a", now, leaseMs: 60_000 })).toBe(true);
    expect(await claimJob(db, { job: "digest", period: "2030-01-01", owner: "server-b", now, leaseMs: 60_000 })).toBe(false);
    // Server A died: after its lease, B takes over.
    expect(await claimJob(db, { job: "digest", period: "2030-01-01", owner: "server-b", now: now + 61_000, leaseMs: 60_000 })).toBe(true);
    await finishJob(db, { job: "digest", period: "2030-01-01", owner: "server-b", now: now + 62_000, result: {} });
    expect(await claimJob(db, { job: "digest", period: "2030-01-01", owner: "server-a", now: now + 999_000, leaseMs: 60_000 })).toBe(false);
  });

  it("send the day's score changes to subscribed webhooks, in parts, under stable ids", async () => {
    const endpoint = (await createDestination(db, { actor: ADMIN, kind: "webhook", name: "BI", url: "https://bi.example.com/hook", events: ["scores.changed"] })).id;
    await createDestination(db, { actor: ADMIN, kind: "webhook", name: "Not subscribed", url: "https://x.example.com/hook", events: [] });
    const day = today - 3;
    const ids: number[] = [];
    for (let i = 0; i < SCORES_CHANGED_PART_SIZE + 2; i++) ids.push(await insertAccount(db, { externalId: `sc-${i}` }));
    for (const id of ids) await setScore(db, id, { points: 50 });
    await db.run(sql`UPDATE account_score_changes SET changed_at = ${startOfDayMs(day) + 1000} WHERE account_id >= ${ids[0] ?? 0}`);
    const summary = await queueScoresChanged(db, { day });
    expect(summary).toEqual({ accounts: SCORES_CHANGED_PART_SIZE + 2, parts: 2, endpoints: 1 });
    const rows = await db.all<{ messageId: string; target: string; payload: string }>(sql`SELECT message_id AS "messageId", target, payload FROM outbox
      WHERE event_type = 'scores.changed' ORDER BY message_id`);
    expect(rows.map((r) => [r.messageId, r.target])).toEqual([
      [`scch_${isoDateFromDay(day)}_1`, String(endpoint)],
      [`scch_${isoDateFromDay(day)}_2`, String(endpoint)],
    ]);
    const second = JSON.parse(rows[1]?.payload ?? "{}") as { type: string; data: { part: number; parts: number; total: number; accounts: { accountId: string; score: number; band: string }[] } };
    expect(second.type).toBe("scores.changed");
    expect(second.data).toMatchObject({ part: 2, parts: 2, total: SCORES_CHANGED_PART_SIZE + 2 });
    expect(second.data.accounts).toHaveLength(2);
    expect(second.data.accounts[0]).toMatchObject({ score: 50, band: "medium" });
    // Queued again (a second server): nothing new.
    await queueScoresChanged(db, { day });
    expect(await count(db, sql`SELECT count(*) FROM outbox WHERE event_type = 'scores.changed'`)).toBe(2);
  });
});
