import "server-only";
import type BetterSqlite3 from "better-sqlite3";
import type { Database } from "@/db";
import type { AccountField, AccountPatch } from "@/lib/ingest/account-fields";
import type { OutcomeFields } from "@/lib/ingest/outcome-fields";
import type { AccountOp, EventOp, IngestOp, MapResult } from "@/lib/ingest/segment";
import type { OutcomeSource } from "@/lib/renewals/outcomes";
import { isDatabaseBusy } from "./request";

/**
 * The hot path of ingestion: stores a batch of mapped operations in ONE transaction with
 * prepared better-sqlite3 statements (drizzle's query builder spends most of its time
 * building SQL). Events are unique on (day, message_id), so a repeat is a no-op that is
 * reported as a duplicate; rollups are summed per (day, account, type) in memory and
 * upserted once per key at the end of the batch.
 */

export interface RejectedItem {
  index: number;
  messageId: string | null;
  field: string;
  message: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedItem[];
  /** Of the accepted events, how many wait for a user → account link. */
  pending: number;
  accountsCreated: number;
  accountsUpdated: number;
  /** Renewal outcomes recorded for the first time, and corrected (a repeat counts as a duplicate). */
  outcomesCreated: number;
  outcomesUpdated: number;
}

export interface IngestOptions {
  receivedAt: number;
  /** The write key that sent the batch (its last use is recorded), if any. */
  writeKeyId?: number | null;
  /** Runs inside the batch's transaction after the writes (e.g. to write the audit log). */
  afterWrite?: (result: IngestResult) => void;
}

interface Statements {
  typeByKey: BetterSqlite3.Statement;
  insertType: BetterSqlite3.Statement;
  accountByExternalId: BetterSqlite3.Statement;
  insertPlaceholderAccount: BetterSqlite3.Statement;
  deleteTags: BetterSqlite3.Statement;
  insertTag: BetterSqlite3.Statement;
  linkOf: BetterSqlite3.Statement;
  upsertLink: BetterSqlite3.Statement;
  pendingFor: BetterSqlite3.Statement;
  deletePending: BetterSqlite3.Statement;
  insertEvent: BetterSqlite3.Statement;
  insertPending: BetterSqlite3.Statement;
  upsertRollup: BetterSqlite3.Statement;
  touchKey: BetterSqlite3.Statement;
  upsertAccount: Map<string, BetterSqlite3.Statement>;
  outcomeOf: BetterSqlite3.Statement;
  insertOutcome: BetterSqlite3.Statement;
  updateOutcome: BetterSqlite3.Statement;
  arrOf: BetterSqlite3.Statement;
}

interface WriterState {
  statements: Statements;
  /** Event type ids by key, of committed types only (types are never deleted). */
  typeIds: Map<string, number>;
  /**
   * Account ids by external id, of committed accounts only: their external id never changes,
   * an account is deleted only by an erasure (which calls forgetIngestionIds), and at 50,000 accounts a look-up per event costs more
   * than the rest of its mapping (docs/adr/0008-performance-at-scale.md).
   */
  accountIds: Map<string, number>;
}

/** Ids a write looked up or created: remembered process-wide only once its transaction committed. */
interface Learned {
  typeIds: Map<string, number>;
  accountIds: Map<string, number>;
}

const MAX_CACHED_ACCOUNTS = 250_000;

function newLearned(): Learned {
  return { typeIds: new Map(), accountIds: new Map() };
}

function remember(writer: WriterState, learned: Learned): void {
  for (const [key, id] of learned.typeIds) writer.typeIds.set(key, id);
  if (writer.accountIds.size + learned.accountIds.size > MAX_CACHED_ACCOUNTS) writer.accountIds.clear();
  for (const [externalId, id] of learned.accountIds) writer.accountIds.set(externalId, id);
}

const writers = new WeakMap<Database, WriterState & { generation: number }>();
const generation = globalThis as unknown as { cesIngestionIdGeneration?: number };

/**
 * Forgets the account ids every writer of this process remembers: called after an erasure
 * deleted accounts, so that a later event for the same external id creates the account anew
 * instead of pointing at the deleted row.
 */
export function forgetIngestionIds(): void {
  generation.cesIngestionIdGeneration = (generation.cesIngestionIdGeneration ?? 0) + 1;
}

function writerFor(db: Database): WriterState {
  const current = generation.cesIngestionIdGeneration ?? 0;
  let state = writers.get(db);
  if (state && state.generation !== current) {
    state.accountIds.clear();
    state.generation = current;
  }
  if (state) return state;
  const s = db.sqlite;
  state = {
    generation: current,
    typeIds: new Map(),
    accountIds: new Map(),
    statements: {
      typeByKey: s.prepare("SELECT id FROM event_types WHERE key = ?").pluck(),
      insertType: s
        .prepare("INSERT INTO event_types (key, label, weight_hundredths, active, is_new) VALUES (?, ?, 0, 1, 1) ON CONFLICT(key) DO NOTHING RETURNING id")
        .pluck(),
      accountByExternalId: s.prepare("SELECT id FROM accounts WHERE external_id = ?").pluck(),
      insertPlaceholderAccount: s.prepare("INSERT INTO accounts (external_id, name) VALUES (?, ?) ON CONFLICT(external_id) DO NOTHING RETURNING id").pluck(),
      deleteTags: s.prepare("DELETE FROM account_tags WHERE account_id = ?"),
      insertTag: s.prepare("INSERT OR IGNORE INTO account_tags (account_id, tag) VALUES (?, ?)"),
      linkOf: s.prepare("SELECT account_id FROM user_links WHERE user_id = ?").pluck(),
      upsertLink: s.prepare(
        `INSERT INTO user_links (user_id, account_id, linked_at) VALUES (?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET account_id = excluded.account_id, linked_at = excluded.linked_at
         WHERE user_links.account_id <> excluded.account_id`,
      ),
      pendingFor: s
        .prepare(
          `SELECT id, type_id, occurred_at, day, quantity, message_id, received_at, coalesce(user_id, anonymous_id) FROM pending_events
            WHERE user_id = @id OR (user_id IS NULL AND anonymous_id = @id) ORDER BY id`,
        )
        .raw(),
      deletePending: s.prepare("DELETE FROM pending_events WHERE id = ?"),
      insertEvent: s.prepare(
        `INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at, user_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(day, message_id) DO NOTHING`,
      ),
      insertPending: s.prepare(
        `INSERT INTO pending_events (type_id, occurred_at, day, quantity, message_id, received_at, user_id, anonymous_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(day, message_id) DO NOTHING`,
      ),
      upsertRollup: s.prepare(
        `INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, ?)
         ON CONFLICT(day, account_id, type_id) DO UPDATE SET count = count + excluded.count`,
      ),
      touchKey: s.prepare("UPDATE write_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)"),
      upsertAccount: new Map(),
      outcomeOf: s.prepare("SELECT id, outcome, arr_before AS arrBefore, arr_after AS arrAfter FROM renewal_outcomes WHERE account_id = ? AND renewal_date = ?"),
      insertOutcome: s.prepare(
        `INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, arr_before, arr_after, source, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateOutcome: s.prepare("UPDATE renewal_outcomes SET outcome = ?, arr_before = ?, arr_after = ?, source = ?, updated_at = ? WHERE id = ?"),
      arrOf: s.prepare("SELECT arr FROM accounts WHERE id = ?").pluck(),
    },
  };
  writers.set(db, state);
  return state;
}

const COLUMN_OF: Record<Exclude<AccountField, "tags" | "name">, string> = {
  plan: "plan",
  industry: "industry",
  region: "region",
  accountManager: "account_manager",
  renewalDate: "renewal_date",
  arr: "arr",
  stage: "stage",
  signupDate: "signup_date",
  trialEndDate: "trial_end_date",
};

type ColumnField = keyof typeof COLUMN_OF;

function isColumnField(field: string): field is ColumnField {
  return Object.prototype.hasOwnProperty.call(COLUMN_OF, field);
}

/** An upsert setting exactly the fields a patch names (one prepared statement per field set). */
function upsertAccountStatement(db: Database, statements: Statements, fields: readonly ColumnField[], setsName: boolean): BetterSqlite3.Statement {
  const cacheKey = `${setsName ? "name," : ""}${fields.join(",")}`;
  let statement = statements.upsertAccount.get(cacheKey);
  if (statement) return statement;
  const columns = fields.map((f) => COLUMN_OF[f]);
  const updates = [...(setsName ? ["name = excluded.name"] : []), ...columns.map((c) => `${c} = excluded.${c}`), "updated_at = @now"];
  statement = db.sqlite
    .prepare(
      `INSERT INTO accounts (external_id, name${columns.map((c) => `, ${c}`).join("")}, created_at, updated_at)
       VALUES (@externalId, @name${fields.map((f) => `, @${f}`).join("")}, @now, @now)
       ON CONFLICT(external_id) DO UPDATE SET ${updates.join(", ")}
       RETURNING id`,
    )
    .pluck();
  statements.upsertAccount.set(cacheKey, statement);
  return statement;
}

/** Rollup deltas: account → (day × 2^21 + type) → count. */
type RollupDeltas = Map<number, Map<number, number>>;
const TYPE_SLOTS = 2 ** 21;

function addRollup(deltas: RollupDeltas, accountId: number, day: number, typeId: number, quantity: number): void {
  if (typeId >= TYPE_SLOTS) throw new Error(`event type id ${typeId} is out of range`);
  let perAccount = deltas.get(accountId);
  if (!perAccount) {
    perAccount = new Map();
    deltas.set(accountId, perAccount);
  }
  const key = day * TYPE_SLOTS + typeId;
  perAccount.set(key, (perAccount.get(key) ?? 0) + quantity);
}

/**
 * Writes the mapped items of one request (rejected items are reported, the rest stored),
 * rollups included. Must run inside a transaction (see ingestBatch, group-commit.ts); the
 * ids it looks up go to `learned`, to be remembered only once committed.
 */
function writeItems(db: Database, writer: WriterState, items: readonly MapResult[], options: IngestOptions, learned: Learned): IngestResult {
  const newTypeIds = learned.typeIds;
  const st = writer.statements;
  const result: IngestResult = {
    accepted: 0,
    duplicates: 0,
    rejected: [],
    pending: 0,
    accountsCreated: 0,
    accountsUpdated: 0,
    outcomesCreated: 0,
    outcomesUpdated: 0,
  };
  const rollups: RollupDeltas = new Map();
  const accountIds = new Map<string, number>();
  const links = new Map<string, number | null>();
  const { receivedAt } = options;

  const typeId = (op: EventOp): number => {
    const known = writer.typeIds.get(op.typeKey) ?? newTypeIds.get(op.typeKey);
    if (known !== undefined) return known;
    // Remembered process-wide only after the commit: a row seen here may be this transaction's own.
    const id = (st.typeByKey.get(op.typeKey) as number | undefined) ?? (st.insertType.get(op.typeKey, op.typeLabel) as number | undefined) ?? (st.typeByKey.get(op.typeKey) as number);
    newTypeIds.set(op.typeKey, id);
    return id;
  };

  const accountFor = (externalId: string): number => {
    const cached = accountIds.get(externalId) ?? writer.accountIds.get(externalId);
    if (cached !== undefined) return cached;
    let id = st.accountByExternalId.get(externalId) as number | undefined;
    if (id === undefined) {
      id = (st.insertPlaceholderAccount.get(externalId, externalId) as number | undefined) ?? (st.accountByExternalId.get(externalId) as number);
      result.accountsCreated++;
    }
    accountIds.set(externalId, id);
    learned.accountIds.set(externalId, id);
    return id;
  };

  const linkOf = (userId: string): number | null => {
    const cached = links.get(userId);
    if (cached !== undefined) return cached;
    const id = (st.linkOf.get(userId) as number | undefined) ?? null;
    links.set(userId, id);
    return id;
  };

  const storeEvent = (
    accountId: number,
    type: number,
    occurredAt: number,
    day: number,
    quantity: number,
    messageId: string,
    received: number,
    userId: string | null,
  ): boolean => {
    if (st.insertEvent.run(accountId, type, occurredAt, day, quantity, messageId, received, userId).changes === 0) return false;
    addRollup(rollups, accountId, day, type, quantity);
    return true;
  };

  /** Links a user to an account; the events waiting for that user move into `events`. */
  const link = (userId: string, accountId: number): void => {
    if (linkOf(userId) === accountId) return;
    st.upsertLink.run(userId, accountId, receivedAt);
    links.set(userId, accountId);
    for (const row of st.pendingFor.all({ id: userId }) as [number, number, number, number, number, string, number, string | null][]) {
      const [pendingId, type, occurredAt, day, quantity, messageId, received, eventUserId] = row;
      storeEvent(accountId, type, occurredAt, day, quantity, messageId, received, eventUserId);
      st.deletePending.run(pendingId);
    }
  };

  const applyAccount = (op: AccountOp): number => {
    const existing = accountIds.get(op.groupId) ?? (st.accountByExternalId.get(op.groupId) as number | undefined);
    const { tags, name, ...rest } = op.patch;
    const fields = (Object.keys(rest) as (keyof AccountPatch)[]).filter(isColumnField).sort();
    const params: Record<string, unknown> = { externalId: op.groupId, name: name ?? op.groupId, now: receivedAt };
    for (const f of fields) params[f] = rest[f] ?? null;
    const id = upsertAccountStatement(db, st, fields, name !== undefined).get(params) as number;
    if (existing === undefined) result.accountsCreated++;
    else result.accountsUpdated++;
    accountIds.set(op.groupId, id);
    learned.accountIds.set(op.groupId, id);
    if (tags) {
      st.deleteTags.run(id);
      for (const tag of tags) st.insertTag.run(id, tag);
    }
    for (const userId of op.linkIds) link(userId, id);
    return id;
  };

  /**
   * Records a renewal outcome, idempotently on (account, renewal date): the same values again
   * change nothing (a duplicate), different ones correct the stored outcome. Left-out ARRs keep
   * the stored value; a new outcome takes the account's ARR as "before" and 0 "after" a churn.
   */
  const recordOutcome = (accountId: number, fields: OutcomeFields, source: OutcomeSource): "created" | "updated" | "duplicate" => {
    const existing = st.outcomeOf.get(accountId, fields.renewalDate) as { id: number; outcome: string; arrBefore: number | null; arrAfter: number | null } | undefined;
    if (!existing) {
      const arrBefore = fields.arrBefore !== undefined ? fields.arrBefore : ((st.arrOf.get(accountId) as number | null | undefined) ?? null);
      const arrAfter = fields.arrAfter !== undefined ? fields.arrAfter : fields.outcome === "churned" ? 0 : null;
      st.insertOutcome.run(accountId, fields.renewalDate, fields.outcome, arrBefore, arrAfter, source, receivedAt, receivedAt);
      result.outcomesCreated++;
      return "created";
    }
    const arrBefore = fields.arrBefore !== undefined ? fields.arrBefore : existing.arrBefore;
    const arrAfter = fields.arrAfter !== undefined ? fields.arrAfter : fields.outcome === "churned" && existing.outcome !== "churned" ? 0 : existing.arrAfter;
    if (existing.outcome === fields.outcome && existing.arrBefore === arrBefore && existing.arrAfter === arrAfter) return "duplicate";
    st.updateOutcome.run(fields.outcome, arrBefore, arrAfter, source, receivedAt, existing.id);
    result.outcomesUpdated++;
    return "updated";
  };

  const applyEvent = (op: EventOp): void => {
    const type = typeId(op);
    const accountId =
      op.groupId !== null
        ? accountFor(op.groupId)
        : ((op.userId !== null ? linkOf(op.userId) : null) ?? (op.anonymousId !== null ? linkOf(op.anonymousId) : null));
    if (accountId !== null) {
      if (storeEvent(accountId, type, op.occurredAt, op.day, op.quantity, op.messageId, receivedAt, op.userId ?? op.anonymousId)) result.accepted++;
      else result.duplicates++;
      return;
    }
    const stored = st.insertPending.run(type, op.occurredAt, op.day, op.quantity, op.messageId, receivedAt, op.userId, op.anonymousId).changes > 0;
    if (stored) {
      result.accepted++;
      result.pending++;
    } else {
      result.duplicates++;
    }
  };

  const apply = (op: IngestOp, index: number): void => {
    switch (op.kind) {
      case "event":
        applyEvent(op);
        return;
      case "account": {
        const accountId = applyAccount(op);
        if (op.outcome) recordOutcome(accountId, op.outcome, "segment");
        result.accepted++;
        return;
      }
      case "outcome": {
        const accountId = accountIds.get(op.groupId) ?? (st.accountByExternalId.get(op.groupId) as number | undefined);
        if (accountId === undefined) {
          result.rejected.push({ index, messageId: op.messageId, field: op.accountField, message: `account "${op.groupId}" does not exist; create it first` });
          return;
        }
        accountIds.set(op.groupId, accountId);
        if (recordOutcome(accountId, op.outcome, op.source) === "duplicate") result.duplicates++;
        else result.accepted++;
        return;
      }
      case "alias": {
        const current = linkOf(op.userId);
        const previous = linkOf(op.previousId);
        if (current !== null && previous === null) link(op.previousId, current);
        else if (previous !== null && current === null) link(op.userId, previous);
        result.accepted++;
        return;
      }
      case "noop":
        result.accepted++;
        return;
    }
  };

  items.forEach((item, index) => {
    if (item.ok) apply(item.op, index);
    else result.rejected.push({ index, messageId: item.messageId, field: item.field, message: item.message });
  });

  for (const [accountId, perAccount] of rollups) {
    for (const [key, count] of perAccount) {
      st.upsertRollup.run(Math.floor(key / TYPE_SLOTS), accountId, key % TYPE_SLOTS, count);
    }
  }
  if (options.writeKeyId !== undefined && options.writeKeyId !== null) st.touchKey.run(receivedAt, options.writeKeyId, receivedAt - 60_000);
  options.afterWrite?.(result);
  return result;
}

/**
 * Stores one request's items in one IMMEDIATE transaction. Throws on database errors
 * (nothing is then stored); SQLITE_BUSY means another process held the write lock for
 * longer than the busy timeout.
 */
export function ingestBatch(db: Database, items: readonly MapResult[], options: IngestOptions): IngestResult {
  const writer = writerFor(db);
  const learned = newLearned();
  const result = db.sqlite.transaction(() => writeItems(db, writer, items, options, learned)).immediate();
  // Only ids that were really committed are remembered.
  remember(writer, learned);
  return result;
}

export interface GroupJob {
  items: readonly MapResult[];
  options: IngestOptions;
}

export type GroupOutcome = { ok: true; result: IngestResult } | { ok: false; error: unknown };

/**
 * Stores several requests' batches in ONE transaction (group commit). A batch that fails is
 * rolled back alone and the others commit; a busy database fails the whole group, which the
 * callers answer with 503.
 *
 * The group is first written without savepoints: a savepoint per batch makes SQLite keep a
 * copy of every page a batch touches first, which cost about a sixth of the write
 * (docs/adr/0008-performance-at-scale.md), and a database error inside a batch is rare. If
 * one happens, that attempt is rolled back whole and the group is written again with a
 * savepoint per batch, so only the failing batch is lost.
 */
export function ingestGroup(db: Database, jobs: readonly GroupJob[]): GroupOutcome[] {
  const writer = writerFor(db);
  const committed = newLearned();
  try {
    const outcomes = db.sqlite
      .transaction(() => jobs.map((job): GroupOutcome => ({ ok: true, result: writeItems(db, writer, job.items, job.options, committed) })))
      .immediate();
    remember(writer, committed);
    return outcomes;
  } catch (error) {
    if (isDatabaseBusy(error) || jobs.length === 1) throw error;
  }
  return ingestGroupInSavepoints(db, writer, jobs);
}

/** The group again, each batch in a savepoint of its own. */
function ingestGroupInSavepoints(db: Database, writer: WriterState, jobs: readonly GroupJob[]): GroupOutcome[] {
  const committed = newLearned();
  const outcomes = db.sqlite
    .transaction(() =>
      jobs.map((job): GroupOutcome => {
        const learned = newLearned();
        try {
          const result = db.sqlite.transaction(() => writeItems(db, writer, job.items, job.options, learned))();
          for (const [key, id] of learned.typeIds) committed.typeIds.set(key, id);
          for (const [key, id] of learned.accountIds) committed.accountIds.set(key, id);
          return { ok: true, result };
        } catch (error) {
          if (isDatabaseBusy(error)) throw error;
          return { ok: false, error };
        }
      }),
    )
    .immediate();
  remember(writer, committed);
  return outcomes;
}
