import { randomUUID } from "node:crypto";
import type BetterSqlite3 from "better-sqlite3";
import { MS_PER_DAY, dayFromMs } from "@/lib/days";
import { DEMO_EVENT_TYPES } from "@/lib/demo/catalog";

/**
 * The benchmark's data: ACCOUNTS accounts and the demo event types, events with random
 * (SDK-style UUID) message ids, spread uniformly over accounts and types. History (the
 * prefill) spreads over the past year; live traffic (what is measured) happens "now".
 */
export interface BenchEvent {
  accountIndex: number;
  typeIndex: number;
  occurredAt: number;
  messageId: string;
}

export const TYPE_KEYS = DEMO_EVENT_TYPES.map((t) => t.key);
export const TYPE_NAMES = DEMO_EVENT_TYPES.map((t) => t.label);

export function accountExternalId(index: number): string {
  return `bench-${index}`;
}

export function liveEvent(accounts: number, now = Date.now()): BenchEvent {
  return {
    accountIndex: Math.floor(Math.random() * accounts),
    typeIndex: Math.floor(Math.random() * TYPE_KEYS.length),
    occurredAt: now - Math.floor(Math.random() * 60_000),
    messageId: randomUUID(),
  };
}

export function historyEvent(accounts: number, now: number): BenchEvent {
  // Yesterday and the 364 days before it: today stays the live day.
  const day = dayFromMs(now) - 1 - Math.floor(Math.random() * 365);
  return {
    accountIndex: Math.floor(Math.random() * accounts),
    typeIndex: Math.floor(Math.random() * TYPE_KEYS.length),
    occurredAt: day * MS_PER_DAY + Math.floor(Math.random() * MS_PER_DAY),
    messageId: randomUUID(),
  };
}

/**
 * The raw ceiling: the same rows into the same tables with prepared better-sqlite3
 * statements and nothing else (no HTTP, no JSON, no validation, no mapping): events unique
 * on (day, message_id) with ON CONFLICT DO NOTHING, rollups summed per transaction and
 * upserted, one transaction per `batchSize` rows.
 */
export function createRawWriter(sqlite: BetterSqlite3.Database, accountIds: readonly number[], typeIds: readonly number[]) {
  const insertEvent = sqlite.prepare(
    "INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT(day, message_id) DO NOTHING",
  );
  const upsertRollup = sqlite.prepare(
    "INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, ?) ON CONFLICT(day, account_id, type_id) DO UPDATE SET count = count + excluded.count",
  );
  const SLOTS = 2 ** 21;
  const write = sqlite.transaction((rows: readonly BenchEvent[]) => {
    const receivedAt = Date.now();
    const rollups = new Map<number, Map<number, number>>();
    for (const e of rows) {
      const accountId = accountIds[e.accountIndex] ?? 0;
      const typeId = typeIds[e.typeIndex] ?? 0;
      const day = dayFromMs(e.occurredAt);
      if (insertEvent.run(accountId, typeId, e.occurredAt, day, e.messageId, receivedAt).changes === 0) continue;
      let perAccount = rollups.get(accountId);
      if (!perAccount) rollups.set(accountId, (perAccount = new Map()));
      const key = day * SLOTS + typeId;
      perAccount.set(key, (perAccount.get(key) ?? 0) + 1);
    }
    for (const [accountId, perAccount] of rollups) {
      for (const [key, count] of perAccount) upsertRollup.run(Math.floor(key / SLOTS), accountId, key % SLOTS, count);
    }
  });
  return write;
}
