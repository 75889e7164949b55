/**
 * What the ingestion measurements send: live events ("now", random accounts and types of the
 * dataset, SDK-style random UUID message ids), as Segment batches for /v1/batch, as CSV rows
 * for the import CLI, and as rows for the raw ceiling (the same rows into the same tables
 * with prepared better-sqlite3 statements and nothing else).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type BetterSqlite3 from "better-sqlite3";
import { dayFromMs } from "@/lib/days";

export interface Population {
  /** Database ids and external ids of the dataset's accounts, same order. */
  accountIds: number[];
  externalIds: string[];
  /** Database ids and keys of its event types, same order. */
  typeIds: number[];
  typeKeys: string[];
}

export function readPopulation(sqlite: BetterSqlite3.Database): Population {
  const accounts = sqlite.prepare("SELECT id, external_id FROM accounts ORDER BY id").raw().all() as [number, string][];
  const types = sqlite.prepare("SELECT id, key FROM event_types ORDER BY id").raw().all() as [number, string][];
  return { accountIds: accounts.map((a) => a[0]), externalIds: accounts.map((a) => a[1]), typeIds: types.map((t) => t[0]), typeKeys: types.map((t) => t[1]) };
}

export interface LiveEvent {
  account: number;
  type: number;
  occurredAt: number;
  messageId: string;
}

export function liveEvent(population: Population, now = Date.now()): LiveEvent {
  return {
    account: Math.floor(Math.random() * population.accountIds.length),
    type: Math.floor(Math.random() * population.typeIds.length),
    // Within the last minute: today, unless the run crosses midnight UTC.
    occurredAt: now - Math.floor(Math.random() * 60_000),
    messageId: randomUUID(),
  };
}

export function liveEvents(population: Population, n: number): LiveEvent[] {
  const now = Date.now();
  return Array.from({ length: n }, () => liveEvent(population, now));
}

/** A Segment /v1/batch body as analytics-node sends it: track calls attributed by context.groupId. */
export function segmentBatchBody(population: Population, size: number): string {
  const now = Date.now();
  const batch = liveEvents(population, size).map((e) => ({
    type: "track",
    messageId: e.messageId,
    event: population.typeKeys[e.type],
    userId: `user-${e.account}-${e.type % 7}`,
    context: { groupId: population.externalIds[e.account], library: { name: "@segment/analytics-node", version: "3.1.0" } },
    properties: { plan: "bench", value: e.type },
    timestamp: new Date(e.occurredAt).toISOString(),
    _metadata: { jsRuntime: "node" },
  }));
  return JSON.stringify({ batch, sentAt: new Date(now).toISOString() });
}

/** Writes `rows` live events as an events CSV (account_id, event, timestamp, message_id). */
export function writeEventsCsv(population: Population, file: string, rows: number): void {
  const out = fs.openSync(file, "w");
  try {
    fs.writeSync(out, "account_id,event,timestamp,message_id\n");
    for (let done = 0; done < rows; done += 10_000) {
      const lines = liveEvents(population, Math.min(10_000, rows - done)).map(
        (e) => `${population.externalIds[e.account]},${population.typeKeys[e.type]},${new Date(e.occurredAt).toISOString()},${e.messageId}`,
      );
      fs.writeSync(out, `${lines.join("\n")}\n`);
    }
  } finally {
    fs.closeSync(out);
  }
}

const TYPE_SLOTS = 2 ** 21;

/**
 * The raw ceiling's writer: events unique on (day, message_id) with ON CONFLICT DO NOTHING,
 * rollups summed per transaction and upserted, one transaction per call.
 */
export function createRawWriter(sqlite: BetterSqlite3.Database, population: Population): (rows: readonly LiveEvent[]) => void {
  const insertEvent = sqlite.prepare(
    "INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT(day, message_id) DO NOTHING",
  );
  const upsertRollup = sqlite.prepare(
    "INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, ?) ON CONFLICT(day, account_id, type_id) DO UPDATE SET count = count + excluded.count",
  );
  return sqlite.transaction((rows: readonly LiveEvent[]) => {
    const receivedAt = Date.now();
    const rollups = new Map<number, Map<number, number>>();
    for (const e of rows) {
      const accountId = population.accountIds[e.account] ?? 0;
      const typeId = population.typeIds[e.type] ?? 0;
      const day = dayFromMs(e.occurredAt);
      if (insertEvent.run(accountId, typeId, e.occurredAt, day, e.messageId, receivedAt).changes === 0) continue;
      let perAccount = rollups.get(accountId);
      if (!perAccount) rollups.set(accountId, (perAccount = new Map()));
      const key = day * TYPE_SLOTS + typeId;
      perAccount.set(key, (perAccount.get(key) ?? 0) + 1);
    }
    for (const [accountId, perAccount] of rollups) {
      for (const [key, count] of perAccount) upsertRollup.run(Math.floor(key / TYPE_SLOTS), accountId, key % TYPE_SLOTS, count);
    }
  });
}

/** Events per second the raw writer reaches at `perTransaction` rows per transaction (rows made before the clock starts). */
export function ceilingRate(write: (rows: readonly LiveEvent[]) => void, population: Population, events: number, perTransaction: number): number {
  const batches = Array.from({ length: Math.ceil(events / perTransaction) }, () => liveEvents(population, perTransaction));
  const started = performance.now();
  for (const batch of batches) write(batch);
  return (batches.length * perTransaction) / ((performance.now() - started) / 1000);
}
