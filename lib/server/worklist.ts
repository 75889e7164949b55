import "server-only";
import type { Database } from "@/db";
import { isoDateFromDay, type DayNumber } from "../days";
import type { ContactOutcome } from "../worklist/outcomes";

/**
 * Working the lists: contacts, notes and snoozes on an account, stored for the whole team.
 * Writers return null when the account does not exist, so handlers can answer 404.
 */

export interface Author {
  id: string;
  name: string;
}

export interface ContactEntry {
  id: number;
  accountId: number;
  outcome: ContactOutcome;
  /** ms since the epoch. */
  contactedAt: number;
  note: string;
  by: string;
  byId: string;
}

export interface NoteEntry {
  id: number;
  accountId: number;
  body: string;
  createdAt: number;
  by: string;
  byId: string;
}

export interface SnoozeEntry {
  accountId: number;
  /** The account is off the lists until this ISO date; it is back on the lists that day. */
  until: string;
  by: string;
  createdAt: number;
}

export interface AccountActivity {
  contacts: ContactEntry[];
  notes: NoteEntry[];
  /** The active snooze (until a date after today), if any. */
  snooze: SnoozeEntry | null;
}

function accountExists(db: Database, accountId: number): boolean {
  return db.sqlite.prepare("SELECT 1 FROM accounts WHERE id = ?").pluck().get(accountId) === 1;
}

const CONTACT_COLUMNS =
  "id, account_id AS accountId, outcome, contacted_at AS contactedAt, note, user_name AS by, user_id AS byId";
const NOTE_COLUMNS = "id, account_id AS accountId, body, created_at AS createdAt, user_name AS by, user_id AS byId";
const SNOOZE_COLUMNS = "account_id AS accountId, until, user_name AS by, created_at AS createdAt";

export interface LogContactParams {
  accountId: number;
  author: Author;
  outcome: ContactOutcome;
  /** When it happened, ms since the epoch (default: now). */
  contactedAt?: number;
  note?: string;
}

export function logContact(db: Database, params: LogContactParams): ContactEntry | null {
  if (!accountExists(db, params.accountId)) return null;
  return db.sqlite
    .prepare(
      `INSERT INTO account_contacts (account_id, user_id, user_name, outcome, contacted_at, note)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING ${CONTACT_COLUMNS}`,
    )
    .get(params.accountId, params.author.id, params.author.name, params.outcome, params.contactedAt ?? Date.now(), params.note ?? "") as ContactEntry;
}

export interface AddNoteParams {
  accountId: number;
  author: Author;
  body: string;
}

export function addNote(db: Database, params: AddNoteParams): NoteEntry | null {
  if (!accountExists(db, params.accountId)) return null;
  return db.sqlite
    .prepare(`INSERT INTO account_notes (account_id, user_id, user_name, body) VALUES (?, ?, ?, ?) RETURNING ${NOTE_COLUMNS}`)
    .get(params.accountId, params.author.id, params.author.name, params.body) as NoteEntry;
}

export interface SnoozeParams {
  accountId: number;
  author: Author;
  /** ISO date after today. */
  until: string;
}

/** Snoozes an account until a date, replacing any earlier snooze. */
export function snoozeAccount(db: Database, params: SnoozeParams): SnoozeEntry | null {
  if (!accountExists(db, params.accountId)) return null;
  return db.sqlite
    .prepare(
      `INSERT INTO account_snoozes (account_id, until, user_id, user_name) VALUES (?, ?, ?, ?)
       ON CONFLICT(account_id) DO UPDATE SET until = excluded.until, user_id = excluded.user_id,
         user_name = excluded.user_name, created_at = excluded.created_at
       RETURNING ${SNOOZE_COLUMNS}`,
    )
    .get(params.accountId, params.until, params.author.id, params.author.name) as SnoozeEntry;
}

export interface UnsnoozeParams {
  accountId: number;
}

/** Puts a snoozed account back on the lists; false when there is no such account. */
export function unsnoozeAccount(db: Database, params: UnsnoozeParams): boolean {
  if (!accountExists(db, params.accountId)) return false;
  db.sqlite.prepare("DELETE FROM account_snoozes WHERE account_id = ?").run(params.accountId);
  return true;
}

export interface AccountActivityParams {
  accountId: number;
  today: DayNumber;
  /** The most recent contacts and notes to return, each (default 50). */
  limit?: number;
}

/** An account's contacts and notes (newest first) and its active snooze; null for no such account. */
export function getAccountActivity(db: Database, params: AccountActivityParams): AccountActivity | null {
  if (!accountExists(db, params.accountId)) return null;
  const limit = params.limit ?? 50;
  const contacts = db.sqlite
    .prepare(`SELECT ${CONTACT_COLUMNS} FROM account_contacts WHERE account_id = ? ORDER BY contacted_at DESC, id DESC LIMIT ?`)
    .all(params.accountId, limit) as ContactEntry[];
  const notes = db.sqlite
    .prepare(`SELECT ${NOTE_COLUMNS} FROM account_notes WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`)
    .all(params.accountId, limit) as NoteEntry[];
  const snooze =
    (db.sqlite
      .prepare(`SELECT ${SNOOZE_COLUMNS} FROM account_snoozes WHERE account_id = ? AND until > ?`)
      .get(params.accountId, isoDateFromDay(params.today)) as SnoozeEntry | undefined) ?? null;
  return { contacts, notes, snooze };
}
