import { sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";

/** An event as the score sync reads it. */
export interface StoredEvent {
  accountId: number;
  typeId: number;
  day: number;
  quantity: number;
  messageId: string;
}

/**
 * Stores events the way ingestion does, on either database (the ingestion code itself is
 * moved to the data layer separately): each event row and its daily rollup, in the caller's
 * transaction.
 */
export async function storeEventsIn(tx: Tx, events: readonly StoredEvent[]): Promise<void> {
  for (const e of events) {
    await tx.run(
      sql`INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at)
        VALUES (${e.accountId}, ${e.typeId}, ${e.day * 86_400_000 + 1000}, ${e.day}, ${e.quantity}, ${e.messageId}, ${e.day * 86_400_000 + 2000})`,
    );
    await tx.run(
      sql`INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (${e.day}, ${e.accountId}, ${e.typeId}, ${e.quantity})
        ON CONFLICT (day, account_id, type_id) DO UPDATE SET count = daily_rollups.count + excluded.count`,
    );
  }
}

/** storeEventsIn in a transaction of its own. */
export async function storeEvents(db: Db, events: readonly StoredEvent[]): Promise<void> {
  await db.transaction((tx) => storeEventsIn(tx, events));
}
