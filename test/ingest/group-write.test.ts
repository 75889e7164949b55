import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayFromMs } from "@/lib/days";
import type { MapResult } from "@/lib/ingest/segment";
import { ingestGroup } from "@/lib/server/ingest/writer";
import { createTestDatabase } from "../db";

const { db, cleanup } = createTestDatabase();
afterAll(cleanup);

const NOW = Date.UTC(2026, 5, 15, 12);

function events(prefix: string, n: number, account: string): MapResult[] {
  return Array.from({ length: n }, (_, i) => ({
    ok: true,
    op: { kind: "event", messageId: `${prefix}-${i}`, typeKey: "report_created", typeLabel: "Report created", occurredAt: NOW, day: dayFromMs(NOW), quantity: 1, groupId: account, userId: null, anonymousId: null },
  }));
}

const count = (sql: string, ...params: unknown[]) => db.sqlite.prepare(sql).pluck().get(...params) as number;

beforeAll(() => {
  // A database error inside one batch (as a full disk or a constraint would raise).
  db.sqlite.exec("CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.message_id LIKE 'poison-%' BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
});

describe("a group of batches written together", () => {
  it("stores every batch, rollups included, in one transaction", () => {
    const outcomes = ingestGroup(db, [
      { items: events("a", 3, "acme"), options: { receivedAt: NOW } },
      { items: events("b", 2, "globex"), options: { receivedAt: NOW } },
    ]);
    expect(outcomes.map((o) => o.ok && o.result.accepted)).toEqual([3, 2]);
    expect(count("SELECT count(*) FROM events")).toBe(5);
    expect(count("SELECT sum(count) FROM daily_rollups")).toBe(5);
  });

  it("loses only the batch that fails: the others commit, with their rollups and new accounts", () => {
    const outcomes = ingestGroup(db, [
      { items: events("c", 2, "initech"), options: { receivedAt: NOW } },
      { items: [...events("d", 2, "umbrella"), ...events("poison", 1, "umbrella")], options: { receivedAt: NOW } },
      { items: events("e", 4, "hooli"), options: { receivedAt: NOW } },
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = outcomes[1];
    expect(failed && !failed.ok && String(failed.error)).toMatch(/poisoned/);
    expect(count("SELECT count(*) FROM events WHERE message_id LIKE 'c-%' OR message_id LIKE 'e-%'")).toBe(6);
    expect(count("SELECT count(*) FROM events WHERE message_id LIKE 'd-%'")).toBe(0);
    expect(count("SELECT sum(count) FROM daily_rollups")).toBe(11);
    expect(count("SELECT count(*) FROM accounts WHERE external_id = 'umbrella'")).toBe(0);
    expect(count("SELECT count(*) FROM accounts WHERE external_id IN ('initech', 'hooli')")).toBe(2);
  });

  it("does not remember an account whose batch was rolled back", () => {
    // umbrella was created, then rolled back with its batch: a later event must create it again.
    const [outcome] = ingestGroup(db, [{ items: events("f", 1, "umbrella"), options: { receivedAt: NOW } }]);
    expect(outcome?.ok && outcome.result.accountsCreated).toBe(1);
    expect(count("SELECT count(*) FROM events e JOIN accounts a ON a.id = e.account_id WHERE a.external_id = 'umbrella'")).toBe(1);
  });
});
