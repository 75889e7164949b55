import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * Small hand-made data for the operations tests, written with plain SQL so it runs on both
 * databases: accounts, one event type, events (with their rollups, as ingestion writes them),
 * a user link and a waiting event.
 */
export interface FixtureEvent {
  account: number;
  day: number;
  messageId: string;
  userId: string | null;
  quantity?: number;
}

export async function insertAccount(db: Db, externalId: string): Promise<number> {
  const id = await db.value<number>(sql`INSERT INTO accounts (external_id, name) VALUES (${externalId}, ${`Account ${externalId}`}) RETURNING id`);
  if (id === undefined) throw new Error("no account id");
  return id;
}

export async function insertEventType(db: Db, key: string, weightHundredths = 100): Promise<number> {
  const id = await db.value<number>(sql`INSERT INTO event_types (key, label, weight_hundredths) VALUES (${key}, ${key}, ${weightHundredths}) RETURNING id`);
  if (id === undefined) throw new Error("no type id");
  return id;
}

/** Inserts events and adds them to the rollups, like ingestion does. */
export async function insertEvents(db: Db, typeId: number, events: readonly FixtureEvent[]): Promise<void> {
  for (const e of events) {
    const quantity = e.quantity ?? 1;
    await db.run(sql`INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at, user_id)
      VALUES (${e.account}, ${typeId}, ${e.day * 86_400_000 + 1000}, ${e.day}, ${quantity}, ${e.messageId}, ${e.day * 86_400_000 + 2000}, ${e.userId})`);
    await db.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (${e.day}, ${e.account}, ${typeId}, ${quantity})
      ON CONFLICT (day, account_id, type_id) DO UPDATE SET count = daily_rollups.count + excluded.count`);
  }
}

/** Marks every stored event as reflected in the scores. */
export async function setWatermarkToLatest(db: Db): Promise<void> {
  const lastEvent = (await db.value<number>(sql`SELECT max(id) FROM events`)) ?? 0;
  const lastAccount = (await db.value<number>(sql`SELECT max(id) FROM accounts`)) ?? 0;
  await db.run(sql`INSERT INTO score_sync (id, last_event_id, last_account_id, synced_at) VALUES (1, ${lastEvent}, ${lastAccount}, ${Date.now()})
    ON CONFLICT (id) DO UPDATE SET last_event_id = excluded.last_event_id, last_account_id = excluded.last_account_id`);
}

export async function rollupsOf(db: Db, account: number): Promise<{ day: number; count: number }[]> {
  return db.all<{ day: number; count: number }>(sql`SELECT day, count FROM daily_rollups WHERE account_id = ${account} ORDER BY day, type_id`);
}

export async function count(db: Db, table: string): Promise<number> {
  return (await db.value<number>(sql`SELECT count(*) FROM ${sql.identifier(table)}`)) ?? -1;
}

export const ADMIN = { id: "admin-1", name: "Ada Admin" };
