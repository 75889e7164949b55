import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { inList } from "@/db/dialect";
import { appendAudit, type AuditActor } from "./audit";
import { yieldToEventLoop } from "@/lib/event-loop";

/**
 * Erasure (GDPR art. 17): everything stored about one end user, or about one account, is
 * deleted. The audit log records that it happened, by whom and how much was deleted, never
 * what: an end user is named by a short hash of their id (enough to answer "was u-42
 * erased?" by hashing it again), an account by its internal number.
 *
 * Rollups are decremented by exactly the deleted events, so the caller recomputes the scores
 * of the accounts returned (an event at or below the score watermark is in the scores; one
 * above it is not yet, and is never counted now that it is gone).
 */
const SCAN_SLICE = 100_000;
const DELETE_BATCH = 1_000;

const DAYS_PER_SLICE = 31;

/** A day as events and daily_rollups store it. */
type StoredDay = Column<typeof schema.events, "day"> & Column<typeof schema.dailyRollups, "day">;

/** The first and last day stored in `table` (each read from the day-first key; empty: first > last). */
async function dayRange(db: Db, table: "events" | "daily_rollups"): Promise<{ first: number; last: number }> {
  const name = sql.raw(table);
  // Two statements: SQLite answers a lone min() or max() from the index, not both at once.
  const first = await db.value<StoredDay | null>(sql`SELECT min(day) FROM ${name}`);
  const last = await db.value<StoredDay | null>(sql`SELECT max(day) FROM ${name}`);
  return first === null || first === undefined || last === null || last === undefined ? { first: 1, last: 0 } : { first, last };
}

/** The pseudonym an erased end user is recorded under in the audit log. */
export function erasedUserReference(userId: string): string {
  return createHash("sha256").update(userId).digest("hex").slice(0, 16);
}

export interface EndUserErasure {
  events: number;
  pendingEvents: number;
  links: number;
  /** Applied identify, group and alias messages they sent (kept to recognise retries). */
  messages: number;
  /** Accounts whose events were deleted: their scores must be recomputed. */
  accountIds: number[];
}

type DeletedEvent = Columns<typeof schema.events, "accountId" | "day" | "typeId" | "quantity">;

/** Subtracts deleted events from their rollups (rows that reach zero are removed). */
async function subtractFromRollups(tx: Db, deleted: readonly DeletedEvent[]): Promise<void> {
  const sums = new Map<string, DeletedEvent>();
  for (const e of deleted) {
    const key = `${e.day}:${e.accountId}:${e.typeId}`;
    const sum = sums.get(key);
    if (sum) sum.quantity += e.quantity;
    else sums.set(key, { ...e });
  }
  for (const e of sums.values()) {
    await tx.run(sql`UPDATE daily_rollups SET count = count - ${e.quantity} WHERE day = ${e.day} AND account_id = ${e.accountId} AND type_id = ${e.typeId}`);
    await tx.run(sql`DELETE FROM daily_rollups WHERE day = ${e.day} AND account_id = ${e.accountId} AND type_id = ${e.typeId} AND count <= 0`);
  }
}

/**
 * Deletes one end user's events (found by scanning the events table in slices of ids, with
 * the event loop served between slices), their waiting events, and their link to an account.
 * `userId` is the Segment userId or anonymousId the events were sent with.
 */
export async function eraseEndUser(db: Db, actor: AuditActor, userId: string): Promise<EndUserErasure> {
  const result: EndUserErasure = { events: 0, pendingEvents: 0, links: 0, messages: 0, accountIds: [] };
  const accounts = new Set<number>();
  const maxId = (await db.value<Column<typeof schema.events, "id">>(sql`SELECT max(id) FROM events`)) ?? 0;
  for (let from = 0; from < maxId; from += SCAN_SLICE) {
    const ids = (
      await db.all<Columns<typeof schema.events, "id">>(sql`SELECT id FROM events WHERE id > ${from} AND id <= ${from + SCAN_SLICE} AND user_id = ${userId}`)
    ).map((r) => r.id);
    for (let i = 0; i < ids.length; i += DELETE_BATCH) {
      const batch = ids.slice(i, i + DELETE_BATCH);
      await db.transaction(async (tx) => {
        const deleted = await tx.all<DeletedEvent>(
          sql`DELETE FROM events WHERE ${inList(sql`id`, batch)} AND user_id = ${userId}
              RETURNING account_id AS "accountId", day, type_id AS "typeId", quantity`,
        );
        await subtractFromRollups(tx, deleted);
        for (const e of deleted) accounts.add(e.accountId);
        result.events += deleted.length;
      });
    }
    await yieldToEventLoop();
  }
  await db.transaction(async (tx) => {
    result.pendingEvents = (await tx.run(sql`DELETE FROM pending_events WHERE user_id = ${userId} OR anonymous_id = ${userId}`)).rowsAffected;
    result.links = (await tx.run(sql`DELETE FROM user_links WHERE user_id = ${userId}`)).rowsAffected;
    result.messages = (await tx.run(sql`DELETE FROM applied_messages WHERE user_id = ${userId}`)).rowsAffected;
    result.accountIds = [...accounts].sort((a, b) => a - b);
    await appendAudit(tx, actor, {
      action: "erasure.end_user",
      target: `end_user:${erasedUserReference(userId)}`,
      details: { events: result.events, pendingEvents: result.pendingEvents, links: result.links, messages: result.messages, accounts: result.accountIds.length },
    });
  });
  return result;
}

export interface AccountErasure {
  accountId: number;
  events: number;
  rollups: number;
  links: number;
  /** Applied identify, group and alias messages sent by the account's linked users. */
  messages: number;
  contacts: number;
  notes: number;
  outcomes: number;
}

/**
 * Deletes one account and everything stored about it: its events (in batches), rollups,
 * scores and history, tags, user links and the applied messages of those users, the team's
 * contacts, notes and snoozes, its renewal outcomes (its field times go with its row), and its alerts, tasks and the messages about them. Null when there is no such account. Later events for the same external
 * id create the account anew (the caller makes ingestion forget the deleted id).
 */
export async function eraseAccount(db: Db, actor: AuditActor, accountId: number): Promise<AccountErasure | null> {
  const exists = await db.value<Column<typeof schema.accounts, "id">>(sql`SELECT id FROM accounts WHERE id = ${accountId}`);
  if (exists === undefined) return null;
  let events = 0;
  // Day by day: events and rollups are keyed day first (ADR 0019), so each day is one seek;
  // "WHERE account_id = …" alone would scan the whole history. A slice of days per
  // transaction keeps ingestion moving between them.
  const range = await dayRange(db, "events");
  for (let from = range.first; from <= range.last; from += DAYS_PER_SLICE) {
    const to = Math.min(range.last, from + DAYS_PER_SLICE - 1);
    events += await db.transaction(async (tx) => {
      let n = 0;
      for (let day = from; day <= to; day++) n += (await tx.run(sql`DELETE FROM events WHERE day = ${day} AND account_id = ${accountId}`)).rowsAffected;
      return n;
    });
    await yieldToEventLoop();
  }
  return db.transaction(async (tx) => {
    // Events that arrived while the slices ran (on any day, backfills included) go with the rest.
    const late = await dayRange(tx, "events");
    for (let day = late.first; day <= late.last; day++) events += (await tx.run(sql`DELETE FROM events WHERE day = ${day} AND account_id = ${accountId}`)).rowsAffected;
    let rollups = 0;
    const rollupDays = await dayRange(tx, "daily_rollups");
    for (let day = rollupDays.first; day <= rollupDays.last; day++) rollups += (await tx.run(sql`DELETE FROM daily_rollups WHERE day = ${day} AND account_id = ${accountId}`)).rowsAffected;
    const count = async (statement: ReturnType<typeof sql>) => (await tx.run(statement)).rowsAffected;
    await tx.run(sql`DELETE FROM account_scores WHERE account_id = ${accountId}`);
    await tx.run(sql`DELETE FROM score_history WHERE account_id = ${accountId}`);
    await tx.run(sql`DELETE FROM account_tags WHERE account_id = ${accountId}`);
    const messages = await count(sql`DELETE FROM applied_messages WHERE user_id IN (SELECT user_id FROM user_links WHERE account_id = ${accountId})`);
    const links = await count(sql`DELETE FROM user_links WHERE account_id = ${accountId}`);
    const contacts = await count(sql`DELETE FROM account_contacts WHERE account_id = ${accountId}`);
    const notes = await count(sql`DELETE FROM account_notes WHERE account_id = ${accountId}`);
    await tx.run(sql`DELETE FROM account_snoozes WHERE account_id = ${accountId}`);
    const outcomes = await count(sql`DELETE FROM renewal_outcomes WHERE account_id = ${accountId}`);
    // Alerts about the account (ADR 0016): its tasks, the notifications and the messages (sent or
    // waiting, with their attempt log) that carry an alert about it, and its pending transitions.
    await tx.run(sql`DELETE FROM tasks WHERE account_id = ${accountId}`);
    await tx.run(sql`DELETE FROM notifications WHERE alert_id IN (SELECT id FROM alerts WHERE account_id = ${accountId})`);
    await tx.run(sql`DELETE FROM outbox_attempts WHERE outbox_id IN (SELECT id FROM outbox WHERE message_id IN (SELECT uid FROM alerts WHERE account_id = ${accountId}))`);
    await tx.run(sql`DELETE FROM outbox WHERE message_id IN (SELECT uid FROM alerts WHERE account_id = ${accountId})`);
    await tx.run(sql`DELETE FROM alerts WHERE account_id = ${accountId}`);
    await tx.run(sql`DELETE FROM score_transitions WHERE account_id = ${accountId}`);
    await tx.run(sql`DELETE FROM account_score_changes WHERE account_id = ${accountId}`);
    await tx.run(sql`DELETE FROM accounts WHERE id = ${accountId}`);
    const erasure: AccountErasure = { accountId, events, rollups, links, messages, contacts, notes, outcomes };
    await appendAudit(tx, actor, { action: "erasure.account", target: `account:${accountId}`, details: { ...erasure } });
    return erasure;
  });
}
