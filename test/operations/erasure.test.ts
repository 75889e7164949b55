import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { eraseAccount, eraseEndUser, erasedUserReference } from "@/lib/operations/server/erasure";
import { createTestDb, testDialect } from "@/test/db";
import { ADMIN, count, insertAccount, insertEvents, insertEventType, rollupsOf, setWatermarkToLatest } from "./fixtures";

let db: Db;
let cleanup: () => Promise<void>;
let acme: number;
let globex: number;
let type: number;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  acme = await insertAccount(db, "acme");
  globex = await insertAccount(db, "globex");
  type = await insertEventType(db, "report_created");
  await insertEvents(db, type, [
    { account: acme, day: 100, messageId: "a1", userId: "u-42", quantity: 2 },
    { account: acme, day: 100, messageId: "a2", userId: "u-7" },
    { account: acme, day: 101, messageId: "a3", userId: "u-42" },
    // u-42 also acted for another account (a track call with its groupId).
    { account: globex, day: 101, messageId: "g1", userId: "u-42" },
    { account: globex, day: 102, messageId: "g2", userId: null },
  ]);
  await setWatermarkToLatest(db);
  await db.run(sql`INSERT INTO user_links (user_id, account_id, linked_at) VALUES ('u-42', ${acme}, 1), ('u-7', ${acme}, 1), ('g-user', ${globex}, 1)`);
  await db.run(sql`INSERT INTO pending_events (type_id, occurred_at, day, quantity, message_id, received_at, user_id, anonymous_id) VALUES
    (${type}, 0, 100, 1, 'p1', 0, 'u-42', NULL), (${type}, 0, 100, 1, 'p2', 0, NULL, 'u-42'), (${type}, 0, 100, 1, 'p3', 0, 'u-7', NULL)`);
  await db.run(sql`INSERT INTO applied_messages (message_id, received_at, user_id) VALUES ('i-42', 0, 'u-42'), ('i-7', 0, 'u-7'), ('i-g', 0, 'g-user'), ('i-old', 0, NULL)`);
  await db.run(sql`INSERT INTO account_tags (account_id, tag) VALUES (${globex}, 'vip')`);
  await db.run(sql`INSERT INTO account_notes (account_id, user_id, user_name, body) VALUES (${globex}, 'csm-1', 'Carla', 'Called the CFO')`);
  await db.run(sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version)
    VALUES (${globex}, 102, 200, 100, 'low', 'low', 0, 1)`);
  // An alert about Globex (ADR 0016), its task, its webhook message with one attempt logged, and a transition not yet evaluated.
  await db.run(sql`INSERT INTO alerts (uid, rule_kind, account_id, dedupe_key, fired_at, title, summary, details)
    VALUES ('alrt_globex', 'band_drop', ${globex}, 'band_drop:1:globex', 1, 'Globex dropped a band', 'medium → low', '{}')`);
  await db.run(sql`INSERT INTO tasks (account_id, alert_id, rule_kind, title, playbook, assignee, due_date, status, created_at)
    SELECT ${globex}, id, 'band_drop', 'Call Globex', 'Call', NULL, '2026-01-01', 'open', 1 FROM alerts WHERE uid = 'alrt_globex'`);
  await db.run(sql`INSERT INTO outbox (message_id, channel, target, event_type, payload, status, attempts, next_attempt_at, created_at)
    VALUES ('alrt_globex', 'webhook', '1', 'alert.fired', '{"account":"Globex"}', 'delivered', 1, 0, 1)`);
  await db.run(sql`INSERT INTO outbox_attempts (outbox_id, attempt, at, duration_ms, status_code) SELECT id, 1, 1, 5, 200 FROM outbox WHERE message_id = 'alrt_globex'`);
  await db.run(sql`INSERT INTO score_transitions (account_id, old_band, new_band, old_declining, new_declining, old_activity, new_activity, new_previous_activity,
    old_score_hundredths, new_score_hundredths, old_config_version, new_config_version, at) VALUES (${globex}, 'medium', 'low', 0, 0, 'active', 'active', 'active', 5000, 200, 1, 1, 1)`);
});
afterAll(async () => cleanup());

describe(`erasure on ${testDialect}`, () => {
  it("deletes one end user's events, waiting events, link and applied messages, and subtracts them from the rollups", async () => {
    const result = await eraseEndUser(db, ADMIN, "u-42");
    expect(result).toEqual({ events: 3, pendingEvents: 2, links: 1, messages: 1, accountIds: [acme, globex] });
    const left = await db.all<{ messageId: string }>(sql`SELECT message_id AS "messageId" FROM events ORDER BY id`);
    expect(left.map((e) => e.messageId)).toEqual(["a2", "g2"]);
    expect(await rollupsOf(db, acme)).toEqual([{ day: 100, count: 1 }]);
    expect(await rollupsOf(db, globex)).toEqual([{ day: 102, count: 1 }]);
    expect(await db.all(sql`SELECT message_id FROM pending_events`)).toEqual([{ message_id: "p3" }]);
    expect(await db.all(sql`SELECT user_id FROM user_links ORDER BY user_id`)).toEqual([{ user_id: "g-user" }, { user_id: "u-7" }]);
    expect(await db.all(sql`SELECT message_id FROM applied_messages ORDER BY message_id`)).toEqual([{ message_id: "i-7" }, { message_id: "i-g" }, { message_id: "i-old" }]);
  });

  it("records the erasure in the audit log without the deleted content", async () => {
    const entry = await db.get<{ target: string; details: string }>(sql`SELECT target, details FROM audit_log WHERE action = 'erasure.end_user'`);
    expect(entry?.target).toBe(`end_user:${erasedUserReference("u-42")}`);
    expect(JSON.parse(entry?.details ?? "{}")).toEqual({ events: 3, pendingEvents: 2, links: 1, messages: 1, accounts: 2 });
    const everything = JSON.stringify(await db.all(sql`SELECT * FROM audit_log`));
    expect(everything).not.toContain("u-42");
  });

  it("finds nothing the second time", async () => {
    expect(await eraseEndUser(db, ADMIN, "u-42")).toEqual({ events: 0, pendingEvents: 0, links: 0, messages: 0, accountIds: [] });
  });

  it("deletes an account and everything stored about it, and nothing of the others", async () => {
    const result = await eraseAccount(db, ADMIN, globex);
    expect(result).toEqual({ accountId: globex, events: 1, rollups: 1, links: 1, messages: 1, contacts: 0, notes: 1, outcomes: 0 });
    expect(await db.all(sql`SELECT message_id FROM applied_messages ORDER BY message_id`)).toEqual([{ message_id: "i-7" }, { message_id: "i-old" }]);
    expect(await db.value(sql`SELECT count(*) FROM accounts WHERE id = ${globex}`)).toBe(0);
    for (const table of ["events", "daily_rollups", "account_scores", "account_tags", "user_links", "account_notes", "alerts", "tasks", "score_transitions", "account_score_changes"]) {
      expect(await db.value(sql`SELECT count(*) FROM ${sql.identifier(table)} WHERE account_id = ${globex}`), table).toBe(0);
    }
    expect(await count(db, "outbox")).toBe(0);
    expect(await count(db, "outbox_attempts")).toBe(0);
    expect(await count(db, "events")).toBe(1);
    expect(await rollupsOf(db, acme)).toEqual([{ day: 100, count: 1 }]);
    const entry = await db.get<{ target: string; details: string }>(sql`SELECT target, details FROM audit_log WHERE action = 'erasure.account'`);
    expect(entry?.target).toBe(`account:${globex}`);
    expect(JSON.stringify(await db.all(sql`SELECT * FROM audit_log`))).not.toMatch(/globex|Called the CFO/);
  });

  it("deletes an account's events on every day of a long history, however far apart (each day is read from the day-first key)", async () => {
    const initech = await insertAccount(db, "initech");
    // Days chosen across several 31-day slices, the first and last stored days included.
    const days = [3, 33, 34, 64, 65, 200, 400];
    await insertEvents(db, type, days.map((day, i) => ({ account: initech, day, messageId: `i${i}`, userId: null, quantity: i + 1 })));
    await insertEvents(db, type, [{ account: acme, day: 400, messageId: "a-late", userId: null }]);
    const result = await eraseAccount(db, ADMIN, initech);
    expect(result?.events).toBe(days.length);
    expect(result?.rollups).toBe(days.length);
    expect(await db.value(sql`SELECT count(*) FROM events WHERE account_id = ${initech}`)).toBe(0);
    expect(await db.value(sql`SELECT count(*) FROM daily_rollups WHERE account_id = ${initech}`)).toBe(0);
    expect(await rollupsOf(db, acme)).toEqual([{ day: 100, count: 1 }, { day: 400, count: 1 }]);
  });

  it("answers null for an account that does not exist", async () => {
    expect(await eraseAccount(db, ADMIN, 999_999)).toBeNull();
  });
});
