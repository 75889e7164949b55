/**
 * What the ingestion measurements send: live events ("now", random accounts and types of the
 * dataset, SDK-style random UUID message ids), as Segment batches for /v1/batch (the
 * product's and the bare reference's) and as CSV rows for the import CLI.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type BetterSqlite3 from "better-sqlite3";

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
