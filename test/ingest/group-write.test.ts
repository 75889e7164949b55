import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayFromMs } from "@/lib/days";
import type { MapResult } from "@/lib/ingestion/segment";
import { ingestGroup } from "@/lib/ingestion/server/writer";
import { createTestDb, testDialect } from "../db";
import type { Db } from "@/db/client";
import { PostgresDb } from "@/db/postgres-client";
import { count as countIn, newWriteKey, query, rollupsDifferingFromEvents } from "./helpers";

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

describe("a group larger than one statement", () => {
  const DAY_MS = 86_400_000;
  /** Events over three days and three accounts; the message ids hold what a text array must quote. */
  function spread(prefix: string, n: number): MapResult[] {
    return Array.from({ length: n }, (_, i) => {
      const occurredAt = NOW - (i % 3) * DAY_MS;
      return {
        ok: true,
        op: {
          kind: "event",
          messageId: `${prefix}-${i}${i % 4 === 0 ? ' "quoted", {braced}\\' : ""}`,
          typeKey: i % 2 === 0 ? "report_created" : "dashboard_shared",
          typeLabel: i % 2 === 0 ? "Report created" : "Dashboard shared",
          occurredAt,
          day: dayFromMs(occurredAt),
          quantity: 1 + (i % 3),
          groupId: `big-${i % 3}`,
          userId: i % 5 === 0 ? null : `user-${i}`,
          anonymousId: null,
        },
      };
    });
  }

  it("stores each (day, message id) once across statements and batches, counts every answer exactly, and sums the rollups of what it stored", async () => {
    const first = spread("big", 1500);
    // Repeats inside a batch, across batches of the group, and of a message stored earlier by another group.
    const before = await ingestGroup(db, [{ items: first.slice(0, 200), options: { receivedAt: NOW } }]);
    expect(before[0]?.ok && before[0].result.eventsStored).toBe(200);
    const outcomes = await ingestGroup(db, [
      { items: [...first.slice(0, 1300), ...first.slice(1000, 1100)], options: { receivedAt: NOW } },
      { items: [...first.slice(1200, 1500), ...spread("big", 1)], options: { receivedAt: NOW } },
    ]);
    const results = outcomes.map((o) => (o.ok ? { accepted: o.result.accepted, duplicates: o.result.duplicates, stored: o.result.eventsStored } : null));
    // Batch 1: 1,300 messages of which 200 were stored before, then 100 repeats of its own.
    // Batch 2: 1200–1299 are batch 1's (written first, in item order), 1300–1499 are new; big-0 was stored before.
    expect(results).toEqual([
      { accepted: 1100, duplicates: 300, stored: 1100 },
      { accepted: 200, duplicates: 101, stored: 200 },
    ]);
    expect(await count("SELECT count(*) FROM events WHERE message_id LIKE 'big-%'")).toBe(1500);
    const stored = await db.all<{ messageId: string }>(query("SELECT message_id AS \"messageId\" FROM events WHERE message_id LIKE 'big-%'"));
    expect(new Set(stored.map((r) => r.messageId))).toEqual(new Set(first.map((item) => (item.ok && item.op.kind === "event" ? item.op.messageId : ""))));
    expect(await rollupsDifferingFromEvents(db)).toEqual([]);
    expect(await count("SELECT count(*) FROM events WHERE message_id LIKE 'big-%' AND user_id IS NULL")).toBe(300);
  });
});

describe("the write key's last use", () => {
  // On PostgreSQL only: its row lock is what a group of batches could wait on (SQLite has one writer).
  it.runIf(testDialect === "postgres")("is left to the transaction recording it: a batch sent meanwhile with the key does not wait for it", async () => {
    if (!(db instanceof PostgresDb)) throw new Error("a PostgreSQL test");
    await newWriteKey(db, "busy key");
    const keyId = await count("SELECT id FROM write_keys WHERE label = 'busy key'");
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      // Another server's group recording the key's use, not yet committed.
      await holder.query("BEGIN");
      await holder.query("UPDATE write_keys SET last_used_at = $1 WHERE id = $2", [NOW - 1000, keyId]);
      // With a plain UPDATE this waited for the holder's commit, which comes only after it: the test then times out.
      const [outcome] = await ingestGroup(db, [{ items: events("key-busy", 2, "acme"), options: { receivedAt: NOW, writeKeyId: keyId } }]);
      expect(outcome?.ok && outcome.result.eventsStored).toBe(2);
      await holder.query("COMMIT");
    } finally {
      await holder.end();
    }
    expect(await count("SELECT last_used_at FROM write_keys WHERE id = ?", keyId)).toBe(NOW - 1000);
    // Free again, the key's use is recorded as before.
    const later = NOW + 120_000;
    await ingestGroup(db, [{ items: events("key-free", 1, "acme"), options: { receivedAt: later, writeKeyId: keyId } }]);
    expect(await count("SELECT last_used_at FROM write_keys WHERE id = ?", keyId)).toBe(later);
  });
});
