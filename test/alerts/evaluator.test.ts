import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { defaultRule, NO_FILTERS, type AnyRule } from "@/lib/alerts/rules";
import { createDestination } from "@/lib/alerts/server/destinations";
import { evaluateTransitions, latestTransitionId } from "@/lib/alerts/server/evaluator";
import { saveRule } from "@/lib/alerts/server/rules";
import { createTestDb } from "@/test/db";
import { ADMIN, count, insertAccount, insertUser, setScore } from "./helpers";

/**
 * From score change to alert: the score writers record the transitions a rule could fire on in
 * the transaction of the change; the evaluator fires each enabled rule once per transition,
 * never for a configuration change (summarised once), within its filters and quiet period.
 */
let db: Db;
let cleanup: () => Promise<void>;
let webhookId: number;
let slackId: number;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await insertUser(db, { id: "u-alice", name: "Alice Moreau", email: "alice@example.com", role: "manager", book: "Alice Moreau" });
  await insertUser(db, { id: ADMIN.id, name: ADMIN.name, email: "admin@example.com", role: "admin" });
  webhookId = (await createDestination(db, { actor: ADMIN, kind: "webhook", name: "CRM", url: "https://crm.example.com/hooks", events: [] })).id;
  slackId = (await createDestination(db, { actor: ADMIN, kind: "slack", name: "#cs-alerts", url: "https://hooks.slack.com/services/T/B/X", events: ["configuration.changed"] })).id;
});
afterAll(async () => cleanup());

async function enable(kind: AnyRule["kind"], change: Partial<AnyRule> = {}): Promise<void> {
  await saveRule(db, { actor: ADMIN, rule: { ...defaultRule(kind), enabled: true, destinationIds: [webhookId, slackId], ...change } as AnyRule });
}

async function disableAll(): Promise<void> {
  for (const kind of ["band_drop", "churn_risk", "declining", "power_user", "renewal_window", "trial_ending"] as const) {
    await saveRule(db, { actor: ADMIN, rule: defaultRule(kind) });
  }
}

beforeEach(async () => {
  await disableAll();
  await db.run(sql`DELETE FROM score_transitions`);
  await db.run(sql`DELETE FROM score_configuration_changes`);
});

/** Transitions as a score writer records them, `n` at once (a flood or a backlog), for one account. */
async function recordTransitions(accountId: number, n: number, t: { oldBand: string; newBand: string; oldScore: number; newScore: number }): Promise<void> {
  await db.run(sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})
    INSERT INTO score_transitions (account_id, old_band, new_band, old_declining, new_declining, old_activity, new_activity, new_previous_activity,
      old_score_hundredths, new_score_hundredths, old_config_version, new_config_version, at)
    SELECT ${accountId}, ${t.oldBand}, ${t.newBand}, 0, 0, 'active', 'active', 'active', ${t.oldScore}, ${t.newScore}, 1, 1, ${Date.now()} FROM n`);
}

describe("what a score writer records (recordScoreWrites, in the write's transaction)", () => {
  it("a change some rule could fire on, with the stored values before and after; a new configuration's changes only as counts", async () => {
    const id = await insertAccount(db, { externalId: "trig-1", manager: "Alice Moreau" });
    await setScore(db, id, { points: 55 });
    await setScore(db, id, { points: 50 }); // same band
    await setScore(db, id, { points: 30, declining: true });
    await setScore(db, id, { points: 45 }); // a rise within the bands: no rule fires on it
    await setScore(db, id, { points: 85, configVersion: 2 }); // new weights
    await setScore(db, id, { points: 101, configVersion: 2 }); // becomes a power user
    const rows = await db.all<{ oldBand: string; newBand: string; oldDeclining: number; newDeclining: number; oldScore: number; newScore: number; version: number }>(sql`
      SELECT old_band AS "oldBand", new_band AS "newBand", old_declining AS "oldDeclining", new_declining AS "newDeclining",
        old_score_hundredths AS "oldScore", new_score_hundredths AS "newScore", new_config_version AS "version"
      FROM score_transitions WHERE account_id = ${id} ORDER BY id`);
    expect(rows).toEqual([
      { oldBand: "medium", newBand: "low", oldDeclining: 0, newDeclining: 1, oldScore: 5000, newScore: 3000, version: 1 },
      { oldBand: "high", newBand: "power", oldDeclining: 0, newDeclining: 0, oldScore: 8500, newScore: 10100, version: 2 },
    ]);
    const counted = await db.all(sql`SELECT config_version AS "version", accounts, lower_band AS "lower", higher_band AS "higher" FROM score_configuration_changes`);
    expect(counted).toEqual([{ version: 2, accounts: 1, lower: 0, higher: 1 }]);
    await db.run(sql`DELETE FROM score_configuration_changes`);
  });

  it("keeps when each account's score last changed, and only when something a reader sees changed", async () => {
    const id = await insertAccount(db, { externalId: "trig-2" });
    const before = Date.now();
    await setScore(db, id, { points: 10 });
    const first = await count(db, sql`SELECT changed_at FROM account_score_changes WHERE account_id = ${id}`);
    expect(first).toBeGreaterThanOrEqual(before);
    // Only the comparison window's sum moved: no reader of the score sees a change.
    await setScore(db, id, { points: 10, previous: 3 });
    expect(await count(db, sql`SELECT changed_at FROM account_score_changes WHERE account_id = ${id}`)).toBe(first);
    await setScore(db, id, { points: 12.34 });
    expect(await count(db, sql`SELECT changed_at FROM account_score_changes WHERE account_id = ${id}`)).toBeGreaterThanOrEqual(first);
    expect(await count(db, sql`SELECT count(*) FROM account_score_changes WHERE account_id = ${id}`)).toBe(1);
  });
});

describe("evaluating transitions", () => {
  it("fires 'drops a band' once per transition: alert, task for the manager, notification, webhook and Slack messages", async () => {
    await enable("band_drop");
    const id = await insertAccount(db, { externalId: "drop-1", name: "Acme Drop", manager: "Alice Moreau", plan: "Pro" });
    await setScore(db, id, { points: 55 });
    await setScore(db, id, { points: 35 });
    const first = await evaluateTransitions(db);
    expect(first).toMatchObject({ transitions: 1, alerts: 1 });
    // Evaluating again finds nothing: the transition was consumed with the alert.
    expect(await evaluateTransitions(db)).toMatchObject({ transitions: 0, alerts: 0 });
    // Staying in the band while the score moves does not fire again.
    await setScore(db, id, { points: 31 });
    await setScore(db, id, { points: 38 });
    await evaluateTransitions(db);

    const alerts = await db.all<{ uid: string; title: string; summary: string }>(sql`SELECT uid, title, summary FROM alerts WHERE account_id = ${id}`);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.title).toBe("Acme Drop dropped from Medium to Low");
    expect(alerts[0]?.summary).toContain("Score 35 (was 55)");
    const tasks = await db.all<{ assignee: string; status: string; playbook: string; dueDate: string }>(sql`SELECT assignee, status, playbook, due_date AS "dueDate" FROM tasks WHERE account_id = ${id}`);
    expect(tasks).toEqual([expect.objectContaining({ assignee: "Alice Moreau", status: "open", playbook: defaultRule("band_drop").playbook })]);
    expect(await count(db, sql`SELECT count(*) FROM notifications WHERE user_id = 'u-alice' AND link = ${`/accounts/${id}`}`)).toBe(1);
    const outbox = await db.all<{ channel: string; messageId: string; payload: string }>(sql`SELECT channel, message_id AS "messageId", payload FROM outbox
      WHERE event_type = 'alert.fired' AND message_id = ${alerts[0]?.uid ?? ""} ORDER BY channel`);
    expect(outbox.map((o) => o.channel)).toEqual(["slack", "webhook"]);
    const webhook = JSON.parse(outbox[1]?.payload ?? "{}") as { type: string; data: { account: { id: string; url: string }; score: { current: number; before: number; band: string; bandBefore: string } } };
    expect(webhook.type).toBe("alert.fired");
    expect(webhook.data.account.id).toBe("drop-1");
    expect(webhook.data.account.url).toMatch(new RegExp(`/accounts/${id}$`));
    expect(webhook.data.score).toMatchObject({ current: 35, before: 55, band: "low", bandBefore: "medium" });
    const slack = JSON.parse(outbox[0]?.payload ?? "{}") as { text: string };
    expect(slack.text).toContain("Acme Drop dropped from Medium to Low");
  });

  it("a drop, a recovery and a second drop are two transitions: it fires again after the quiet period only", async () => {
    await enable("band_drop", { params: { quietDays: 0 } } as Partial<AnyRule>);
    const id = await insertAccount(db, { externalId: "flap-1", manager: "Alice Moreau" });
    await setScore(db, id, { points: 45 });
    await setScore(db, id, { points: 39 });
    await setScore(db, id, { points: 41 });
    await setScore(db, id, { points: 39 });
    await evaluateTransitions(db);
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${id}`)).toBe(2);
    // One open task per account and rule: the second firing adds no second call to make.
    expect(await count(db, sql`SELECT count(*) FROM tasks WHERE account_id = ${id} AND status = 'open'`)).toBe(1);

    await enable("band_drop", { params: { quietDays: 7 } } as Partial<AnyRule>);
    await setScore(db, id, { points: 41 });
    await setScore(db, id, { points: 39 });
    await evaluateTransitions(db);
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${id}`)).toBe(2);
  });

  it("never alerts for a configuration change: the new version's moves are summarised once for the admins", async () => {
    await enable("band_drop");
    await enable("churn_risk");
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await insertAccount(db, { externalId: `cfg-${i}`, manager: "Alice Moreau" });
      await setScore(db, id, { points: 50, configVersion: 7 });
      ids.push(id);
    }
    const alertsBefore = await count(db, sql`SELECT count(*) FROM alerts`);
    // New weights (version 8): three accounts fall a band, one rises.
    await setScore(db, ids[0] ?? 0, { points: 20, configVersion: 8 });
    await setScore(db, ids[1] ?? 0, { points: -5, configVersion: 8 });
    await setScore(db, ids[2] ?? 0, { points: 30, configVersion: 8, declining: true });
    await setScore(db, ids[3] ?? 0, { points: 90, configVersion: 8 });
    const summary = await evaluateTransitions(db);
    expect(summary).toMatchObject({ configurationAccounts: 4, transitions: 0, alerts: 1 });
    const alerts = await db.all<{ ruleKind: string; title: string; summary: string }>(sql`SELECT rule_kind AS "ruleKind", title, summary FROM alerts ORDER BY id`);
    expect(alerts).toHaveLength(alertsBefore + 1);
    expect(alerts.at(-1)).toEqual({
      ruleKind: "configuration",
      title: "New scoring rules changed 4 accounts",
      summary:
        "New scoring rules (version 8) moved 3 accounts to a lower band and 1 to a higher one; 1 account now counts as declining. No alerts were sent for these accounts: the change came from the configuration, not from their engagement.",
    });
    for (const id of ids) expect(await count(db, sql`SELECT count(*) FROM tasks WHERE account_id = ${id}`)).toBe(0);
    expect(await count(db, sql`SELECT count(*) FROM notifications WHERE user_id = ${ADMIN.id} AND link = '/admin/weights/history'`)).toBe(1);
    expect(await count(db, sql`SELECT count(*) FROM notifications WHERE user_id = 'u-alice' AND link = '/admin/weights/history'`)).toBe(0);
    // Slack subscribed to configuration changes; the webhook did not.
    expect(await count(db, sql`SELECT count(*) FROM outbox WHERE event_type = 'configuration.changed' AND channel = 'slack'`)).toBe(1);
    expect(await count(db, sql`SELECT count(*) FROM outbox WHERE event_type = 'configuration.changed' AND channel = 'webhook'`)).toBe(0);

    // Later events on the same configuration alert again as usual.
    await setScore(db, ids[3] ?? 0, { points: 39, configVersion: 8 });
    expect(await evaluateTransitions(db)).toMatchObject({ alerts: 1 });
  });

  it("fires enters churn risk, becomes declining and becomes a power user on their own lines", async () => {
    await enable("churn_risk");
    await enable("declining");
    await enable("power_user");
    const risky = await insertAccount(db, { externalId: "risk-1", manager: "Alice Moreau" });
    await setScore(db, risky, { points: 12 });
    await setScore(db, risky, { points: 0 });
    const falling = await insertAccount(db, { externalId: "fall-1", manager: "Alice Moreau" });
    await setScore(db, falling, { points: 70, previous: 70 });
    await setScore(db, falling, { points: 50, previous: 70, declining: true });
    const power = await insertAccount(db, { externalId: "power-1", manager: "Alice Moreau" });
    await setScore(db, power, { points: 95 });
    await setScore(db, power, { points: 101 });
    await evaluateTransitions(db);
    const fired = await db.all<{ externalId: string; ruleKind: string }>(sql`SELECT a.external_id AS "externalId", al.rule_kind AS "ruleKind"
      FROM alerts al JOIN accounts a ON a.id = al.account_id WHERE a.external_id IN ('risk-1', 'fall-1', 'power-1') ORDER BY a.external_id`);
    expect(fired).toEqual([
      { externalId: "fall-1", ruleKind: "declining" },
      { externalId: "power-1", ruleKind: "power_user" },
      { externalId: "risk-1", ruleKind: "churn_risk" },
    ]);
  });

  it("reads a new account as lib/scoring/standing.ts does: no previous score, so no band to drop from; churn risk still fires", async () => {
    await enable("band_drop");
    await enable("churn_risk");
    // A new account (previous_activity NULL: it did not exist on the comparison day) whose score falls.
    const fresh = await insertAccount(db, { externalId: "new-1", manager: "Alice Moreau" });
    await setScore(db, fresh, { points: 60, previous: 0, previousActivity: null });
    await setScore(db, fresh, { points: 30, previous: 0, previousActivity: null });
    await setScore(db, fresh, { points: -5, previous: 0, previousActivity: null });
    // The same falls by an account that existed then.
    const known = await insertAccount(db, { externalId: "known-1", manager: "Alice Moreau" });
    await setScore(db, known, { points: 60 });
    await setScore(db, known, { points: 30 });
    await evaluateTransitions(db);
    const fired = await db.all<{ externalId: string; ruleKind: string; title: string }>(sql`SELECT a.external_id AS "externalId", al.rule_kind AS "ruleKind", al.title
      FROM alerts al JOIN accounts a ON a.id = al.account_id WHERE a.external_id IN ('new-1', 'known-1') ORDER BY al.id`);
    expect(fired).toEqual([
      { externalId: "new-1", ruleKind: "churn_risk", title: "new-1 entered churn risk" },
      { externalId: "known-1", ruleKind: "band_drop", title: "known-1 dropped from Medium to Low" },
    ]);
    // Its webhook payload has no comparison score: there was none.
    const payload = await db.value<string>(sql`SELECT o.payload FROM outbox o JOIN alerts al ON al.uid = o.message_id
      WHERE al.account_id = ${fresh} AND o.channel = 'webhook'`);
    expect((JSON.parse(payload ?? "{}") as { data: { score: { compared: number | null } } }).data.score.compared).toBeNull();
  });

  it("reads an account not active yet as onboarding: silence after its first window, or negative first events, enter churn risk and drop no band", async () => {
    await enable("band_drop");
    await enable("churn_risk");
    const notActiveYet = { points: 0, activity: "not_active_yet", previousActivity: null } as const;
    // Its first window ends without an event that counts: silent (the stored band stays churn_risk).
    const silent = await insertAccount(db, { externalId: "quiet-1", manager: "Alice Moreau" });
    await setScore(db, silent, notActiveYet);
    await setScore(db, silent, { points: 0, activity: "silent", previousActivity: "not_active_yet" });
    // Its first events are negative.
    const negative = await insertAccount(db, { externalId: "neg-1", manager: "Alice Moreau" });
    await setScore(db, negative, notActiveYet);
    await setScore(db, negative, { points: -3, activity: "active", previousActivity: null });
    // Its first events are positive: a rise, nothing to alert.
    const started = await insertAccount(db, { externalId: "start-1", manager: "Alice Moreau" });
    await setScore(db, started, notActiveYet);
    await setScore(db, started, { points: 12, activity: "active", previousActivity: null });
    // The rise fires no rule, so only the two others were recorded.
    expect(await count(db, sql`SELECT count(*) FROM score_transitions WHERE ${sql.raw(`account_id IN (${silent}, ${negative}, ${started})`)}`)).toBe(2);
    await evaluateTransitions(db);
    const fired = await db.all<{ externalId: string; ruleKind: string; summary: string }>(sql`SELECT a.external_id AS "externalId", al.rule_kind AS "ruleKind", al.summary
      FROM alerts al JOIN accounts a ON a.id = al.account_id WHERE a.external_id IN ('quiet-1', 'neg-1', 'start-1') ORDER BY al.id`);
    expect(fired).toEqual([
      { externalId: "quiet-1", ruleKind: "churn_risk", summary: "Score 0 (was not active yet): silent: no event that counts toward the score in the last 30 days." },
      { externalId: "neg-1", ruleKind: "churn_risk", summary: "Score −3 (was not active yet): negative signals outweigh usage." },
    ]);
  });

  it("passes churned accounts by: they are no longer customers", async () => {
    await enable("band_drop");
    const churned = await insertAccount(db, { externalId: "gone-1", manager: "Alice Moreau", stage: "churned" });
    await setScore(db, churned, { points: 60 });
    await setScore(db, churned, { points: 30 });
    await evaluateTransitions(db);
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${churned}`)).toBe(0);
  });

  it("honours the rule's filters and sends accounts without a manager's user to the admins", async () => {
    await enable("band_drop", { filters: { ...NO_FILTERS, plans: ["Enterprise"], tags: ["key"] } });
    const outside = await insertAccount(db, { externalId: "filt-out", manager: "Alice Moreau", plan: "Pro", tags: ["key"] });
    const inside = await insertAccount(db, { externalId: "filt-in", manager: "Nobody Works This Book", plan: "Enterprise", tags: ["key", "emea"] });
    for (const id of [outside, inside]) {
      await setScore(db, id, { points: 60 });
      await setScore(db, id, { points: 20 });
    }
    await evaluateTransitions(db);
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${outside}`)).toBe(0);
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${inside}`)).toBe(1);
    expect(await count(db, sql`SELECT count(*) FROM notifications WHERE user_id = ${ADMIN.id} AND link = ${`/accounts/${inside}`}`)).toBe(1);
  });

  it("a band drop behind thousands of transitions no enabled rule fires on is fired by the first evaluation, and each of them is handled once", async () => {
    await enable("band_drop");
    const power = await insertAccount(db, { externalId: "flood-power", manager: "Alice Moreau" });
    await setScore(db, power, { points: 85 });
    // Live traffic lifting accounts into the power users: recorded (a rule could fire on it), but that rule is off.
    await recordTransitions(power, 3000, { oldBand: "high", newBand: "power", oldScore: 8500, newScore: 10100 });
    const id = await insertAccount(db, { externalId: "flood-drop", manager: "Alice Moreau" });
    await setScore(db, id, { points: 55 });
    await setScore(db, id, { points: 35 });

    const first = await evaluateTransitions(db, { batch: 25 });
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${id} AND rule_kind = 'band_drop'`)).toBe(1);
    expect(first).toMatchObject({ transitions: 3001, alerts: 1, more: false });
    expect(await count(db, sql`SELECT count(*) FROM score_transitions`)).toBe(0);
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${power}`)).toBe(0);
  });

  it("a band drop that just happened goes before a backlog of alerts: the worker's prompt pass takes what was recorded since it last looked, the backlog is worked off after, each transition fired once", async () => {
    await enable("band_drop", { params: { quietDays: 0 } } as Partial<AnyRule>);
    const backlog = await insertAccount(db, { externalId: "backlog-drop", manager: "Alice Moreau" });
    await setScore(db, backlog, { points: 35 });
    // The day's rollover left 60 drops waiting (each fires: no quiet period).
    await recordTransitions(backlog, 60, { oldBand: "medium", newBand: "low", oldScore: 5000, newScore: 3500 });
    const seen = await latestTransitionId(db);
    const fresh = await insertAccount(db, { externalId: "fresh-drop", manager: "Alice Moreau" });
    await setScore(db, fresh, { points: 55 });
    await setScore(db, fresh, { points: 35 });

    const prompt = await evaluateTransitions(db, { batch: 25, newestFirst: true, afterId: seen });
    expect(prompt).toMatchObject({ transitions: 1, alerts: 1, more: false });
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${fresh}`)).toBe(1);
    expect(await count(db, sql`SELECT count(*) FROM score_transitions WHERE account_id = ${backlog}`)).toBe(60);

    // Newest first without a starting point takes the newest of the backlog; oldest first the oldest: together they meet.
    expect(await evaluateTransitions(db, { batch: 25, newestFirst: true })).toMatchObject({ transitions: 25, alerts: 25, more: true });
    expect(await evaluateTransitions(db, { batch: 25 })).toMatchObject({ transitions: 25, alerts: 25, more: true });
    expect(await evaluateTransitions(db, { batch: 25, newestFirst: true })).toMatchObject({ transitions: 10, alerts: 10, more: false });
    expect(await count(db, sql`SELECT count(*) FROM score_transitions`)).toBe(0);
    // One alert per transition: 60 distinct dedupe keys, none twice.
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${backlog}`)).toBe(60);
    expect(await count(db, sql`SELECT count(DISTINCT dedupe_key) FROM alerts WHERE account_id = ${backlog}`)).toBe(60);
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${fresh}`)).toBe(1);
  });

  it("stops firing when its time is up (the first firing always runs): what it did not reach stays for the next transaction", async () => {
    await enable("band_drop", { params: { quietDays: 0 } } as Partial<AnyRule>);
    const id = await insertAccount(db, { externalId: "slow-drop", manager: "Alice Moreau" });
    await setScore(db, id, { points: 35 });
    await recordTransitions(id, 3, { oldBand: "medium", newBand: "low", oldScore: 5000, newScore: 3500 });
    expect(await evaluateTransitions(db, { workMs: 0 })).toMatchObject({ transitions: 1, alerts: 1, more: true });
    expect(await count(db, sql`SELECT count(*) FROM score_transitions`)).toBe(2);
    expect(await evaluateTransitions(db)).toMatchObject({ transitions: 2, alerts: 2, more: false });
  });

  it("does nothing for rules that are off, and drops their transitions", async () => {
    const id = await insertAccount(db, { externalId: "off-1", manager: "Alice Moreau" });
    await setScore(db, id, { points: 60 });
    await setScore(db, id, { points: 20 });
    expect(await evaluateTransitions(db)).toMatchObject({ transitions: 1, alerts: 0 });
    expect(await count(db, sql`SELECT count(*) FROM score_transitions`)).toBe(0);
    expect(await count(db, sql`SELECT count(*) FROM alerts WHERE account_id = ${id}`)).toBe(0);
  });
});
