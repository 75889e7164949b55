import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayFromMs } from "@/lib/days";
import type { MapResult } from "@/lib/ingestion/segment";
import { ingestGroup } from "@/lib/ingestion/server/writer";
import { createTestDb, testDialect } from "../db";
import type { Db } from "@/db/client";
import { count as countIn, query } from "./helpers";

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

const NOW = Date.UTC(2026, 5, 15, 12);

function events(prefix: string, n: number, account: string): MapResult[] {
  return Array.from({ length: n }, (_, i) => ({
    ok: true,
    op: { kind: "event", messageId: `${prefix}-${i}`, typeKey: "report_created", typeLabel: "Report created", occurredAt: NOW, day: dayFromMs(NOW), quantity: 1, groupId: account, userId: null, anonymousId: null },
  }));
}

const count = (sql: string, ...params: unknown[]) => countIn(db, sql, ...params);

beforeAll(async () => {
  // A database error inside one batch (as a full disk or a constraint would raise).
  if (testDialect === "sqlite") {
    await db.run(query("CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.message_id LIKE 'poison-%' BEGIN SELECT RAISE(ABORT, 'poisoned'); END"));
  } else {
    await db.run(
      query("CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.message_id LIKE 'poison-%' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$"),
    );
    await db.run(query("CREATE TRIGGER poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION poison()"));
  }
});

describe("a group of batches written together", () => {
  it("stores every batch, rollups included, in one transaction", async () => {
    const outcomes = await ingestGroup(db, [
      { items: events("a", 3, "acme"), options: { receivedAt: NOW } },
      { items: events("b", 2, "globex"), options: { receivedAt: NOW } },
    ]);
    expect(outcomes.map((o) => o.ok && o.result.accepted)).toEqual([3, 2]);
    expect(await count("SELECT count(*) FROM events")).toBe(5);
    expect(await count("SELECT sum(count) FROM daily_rollups")).toBe(5);
  });

  it("loses only the batch that fails: the others commit, with their rollups and new accounts", async () => {
    const outcomes = await ingestGroup(db, [
      { items: events("c", 2, "initech"), options: { receivedAt: NOW } },
      { items: [...events("d", 2, "umbrella"), ...events("poison", 1, "umbrella")], options: { receivedAt: NOW } },
      { items: events("e", 4, "hooli"), options: { receivedAt: NOW } },
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = outcomes[1];
    expect(failed && !failed.ok && String(failed.error)).toMatch(/poisoned/);
    expect(await count("SELECT count(*) FROM events WHERE message_id LIKE 'c-%' OR message_id LIKE 'e-%'")).toBe(6);
    expect(await count("SELECT count(*) FROM events WHERE message_id LIKE 'd-%'")).toBe(0);
    expect(await count("SELECT sum(count) FROM daily_rollups")).toBe(11);
    expect(await count("SELECT count(*) FROM accounts WHERE external_id = 'umbrella'")).toBe(0);
    expect(await count("SELECT count(*) FROM accounts WHERE external_id IN ('initech', 'hooli')")).toBe(2);
  });

  it("does not remember an account whose batch was rolled back", async () => {
    // umbrella was created, then rolled back with its batch: a later event must create it again.
    const [outcome] = await ingestGroup(db, [{ items: events("f", 1, "umbrella"), options: { receivedAt: NOW } }]);
    expect(outcome?.ok && outcome.result.accountsCreated).toBe(1);
    expect(await count("SELECT count(*) FROM events e JOIN accounts a ON a.id = e.account_id WHERE a.external_id = 'umbrella'")).toBe(1);
  });
});
