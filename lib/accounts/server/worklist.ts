import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type { ContactOutcome } from "../contact-outcomes";
import type * as schema from "@/db/schema";
import { isoDateFromDay, type DayNumber } from "@/lib/days";

/**
 * Working the lists: contacts, notes and snoozes on an account, stored for the whole team.
 * Writers return null when the account does not exist, so handlers can answer 404.
 */

export interface Author {
  id: string;
  name: string;
}

/** A logged contact (`contactedAt` in ms since the epoch) and who logged it. */
export type ContactEntry = Columns<typeof schema.accountContacts, "id" | "accountId" | "outcome" | "contactedAt" | "note"> & {
  by: Column<typeof schema.accountContacts, "userName">;
  byId: Column<typeof schema.accountContacts, "userId">;
};

export type NoteEntry = Columns<typeof schema.accountNotes, "id" | "accountId" | "body" | "createdAt"> & {
  by: Column<typeof schema.accountNotes, "userName">;
  byId: Column<typeof schema.accountNotes, "userId">;
};

/** The account is off the lists until the ISO date `until`; it is back on the lists that day. */
export type SnoozeEntry = Columns<typeof schema.accountSnoozes, "accountId" | "until" | "createdAt"> & {
  by: Column<typeof schema.accountSnoozes, "userName">;
};

export interface AccountActivity {
  contacts: ContactEntry[];
  notes: NoteEntry[];
  /** The active snooze (until a date after today), if any. */
  snooze: SnoozeEntry | null;
}

async function accountExists(db: Db, accountId: number): Promise<boolean> {
  return (await db.value<number>(sql`SELECT 1 FROM accounts WHERE id = ${accountId}`)) === 1;
}

// Aliases are quoted: PostgreSQL folds unquoted names to lower case (and `by` is a keyword there).
const CONTACT_COLUMNS = sql.raw(
  `id, account_id AS "accountId", outcome, contacted_at AS "contactedAt", note, user_name AS "by", user_id AS "byId"`,
);
const NOTE_COLUMNS = sql.raw(`id, account_id AS "accountId", body, created_at AS "createdAt", user_name AS "by", user_id AS "byId"`);
const SNOOZE_COLUMNS = sql.raw(`account_id AS "accountId", until, user_name AS "by", created_at AS "createdAt"`);

/** The row an INSERT … RETURNING must give back. */
function returned<Row>(row: Row | undefined, table: string): Row {
  if (row === undefined) throw new Error(`INSERT … RETURNING on ${table} returned no row`);
  return row;
}

export interface LogContactParams {
  accountId: number;
  author: Author;
  outcome: ContactOutcome;
  /** When it happened, ms since the epoch (default: now). */
  contactedAt?: number;
  note?: string;
}

export async function logContact(db: Db, params: LogContactParams): Promise<ContactEntry | null> {
  if (!(await accountExists(db, params.accountId))) return null;
  const row = await db.get<ContactEntry>(
    sql`INSERT INTO account_contacts (account_id, user_id, user_name, outcome, contacted_at, note)
      VALUES (${params.accountId}, ${params.author.id}, ${params.author.name}, ${params.outcome}, ${params.contactedAt ?? Date.now()}, ${params.note ?? ""})
      RETURNING ${CONTACT_COLUMNS}`,
  );
  return returned(row, "account_contacts");
}

export interface AddNoteParams {
  accountId: number;
  author: Author;
  body: string;
}

export async function addNote(db: Db, params: AddNoteParams): Promise<NoteEntry | null> {
  if (!(await accountExists(db, params.accountId))) return null;
  const row = await db.get<NoteEntry>(
    sql`INSERT INTO account_notes (account_id, user_id, user_name, body)
      VALUES (${params.accountId}, ${params.author.id}, ${params.author.name}, ${params.body}) RETURNING ${NOTE_COLUMNS}`,
  );
  return returned(row, "account_notes");
}

export interface SnoozeParams {
  accountId: number;
  author: Author;
  /** ISO date after today. */
  until: string;
}

/** Snoozes an account until a date, replacing any earlier snooze. */
export async function snoozeAccount(db: Db, params: SnoozeParams): Promise<SnoozeEntry | null> {
  if (!(await accountExists(db, params.accountId))) return null;
  const row = await db.get<SnoozeEntry>(
    sql`INSERT INTO account_snoozes (account_id, until, user_id, user_name) VALUES (${params.accountId}, ${params.until}, ${params.author.id}, ${params.author.name})
      ON CONFLICT (account_id) DO UPDATE SET until = excluded.until, user_id = excluded.user_id,
        user_name = excluded.user_name, created_at = excluded.created_at
      RETURNING ${SNOOZE_COLUMNS}`,
  );
  return returned(row, "account_snoozes");
}

export interface UnsnoozeParams {
  accountId: number;
}

/** Puts a snoozed account back on the lists; false when there is no such account. */
export async function unsnoozeAccount(db: Db, params: UnsnoozeParams): Promise<boolean> {
  if (!(await accountExists(db, params.accountId))) return false;
  await db.run(sql`DELETE FROM account_snoozes WHERE account_id = ${params.accountId}`);
  return true;
}

export interface AccountActivityParams {
  accountId: number;
  today: DayNumber;
  /** The most recent contacts and notes to return, each (default 50). */
  limit?: number;
}

/** An account's contacts and notes (newest first) and its active snooze; null for no such account. */
export async function getAccountActivity(db: Db, params: AccountActivityParams): Promise<AccountActivity | null> {
  if (!(await accountExists(db, params.accountId))) return null;
  const limit = params.limit ?? 50;
  const [contacts, notes, snooze] = await Promise.all([
    db.all<ContactEntry>(
      sql`SELECT ${CONTACT_COLUMNS} FROM account_contacts WHERE account_id = ${params.accountId} ORDER BY contacted_at DESC, id DESC LIMIT ${limit}`,
    ),
    db.all<NoteEntry>(sql`SELECT ${NOTE_COLUMNS} FROM account_notes WHERE account_id = ${params.accountId} ORDER BY created_at DESC, id DESC LIMIT ${limit}`),
    db.get<SnoozeEntry>(sql`SELECT ${SNOOZE_COLUMNS} FROM account_snoozes WHERE account_id = ${params.accountId} AND until > ${isoDateFromDay(params.today)}`),
  ]);
  return { contacts, notes, snooze: snooze ?? null };
}
