import "server-only";
import type BetterSqlite3 from "better-sqlite3";
import type { Db } from "@/db/client";
import { onSqlite } from "@/db/sqlite-client";
import type { EventTypeCatalog } from "@/lib/ingestion/event-names";
import type { MapResult } from "@/lib/ingestion/segment";
import { writeItems } from "./batch-write";
import { inPostgresWriteTransaction, insertDeferredEvents, prepareWriteGroup, isRetryableConflict, mergeRollups, writeItemsPostgres, writeRollupsPostgres, type PostgresRollups } from "./postgres-write";
import { isDatabaseBusy, isMissingReference } from "@/db/errors";
import type { StoredOutcome } from "./write-rules";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import type { CatalogAliasRow, CatalogTypeRow } from "./event-type-mapping";

/**
 * The hot path of ingestion: stores a batch of mapped operations in ONE transaction. On SQLite
 * with prepared better-sqlite3 statements run synchronously through `onSqlite` (drizzle's
 * query builder spends most of its time building SQL; batch-write.ts); on PostgreSQL with
 * multi-row statements (postgres-write.ts, docs/adr/0015 point 4). Events are unique on (day, message_id), so a repeat is a no-op that is
 * reported as a duplicate; rollups are summed per (day, account, type) in memory and
 * upserted once per key at the end of the batch. Every event's name is matched to an event
 * type here, for every ingestion path, by lib/ingestion/event-names.ts.
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
  /** Events stored (attributed or waiting; not duplicates) and event types registered by them. */
  eventsStored: number;
  eventTypesCreated: number;
}

export interface IngestOptions {
  receivedAt: number;
  /** The write key that sent the batch (its last use is recorded), if any. */
  writeKeyId?: number | null;
  /** Runs inside the batch's transaction after the writes, on its `tx` (e.g. to write the audit log). */
  afterWrite?: (tx: Db, result: IngestResult) => Promise<void>;
}

/** A prepared statement and the row (or, plucked, the value) it returns. */
export type Returning<Row> = BetterSqlite3.Statement<unknown[], Row>;
/** A statement that returns nothing. */
type Writing = BetterSqlite3.Statement;

/** A pending event as `pendingFor` reads it (raw): id, type, time, day, quantity, message, received, user. */
type Pending<K extends keyof typeof schema.pendingEvents.$inferSelect> = Column<typeof schema.pendingEvents, K>;
export type PendingRow = [
  id: Pending<"id">,
  typeId: Pending<"typeId">,
  occurredAt: Pending<"occurredAt">,
  day: Pending<"day">,
  quantity: Pending<"quantity">,
  messageId: Pending<"messageId">,
  receivedAt: Pending<"receivedAt">,
  /** The user id, or the anonymous id where none was given. */
  userId: Pending<"userId">,
];

type AccountId = Column<typeof schema.accounts, "id">;
type EventTypeId = Column<typeof schema.eventTypes, "id">;
type AccountFieldTimes = Columns<typeof schema.accounts, "id" | "fieldTimes">;
type LinkRow = Columns<typeof schema.userLinks, "accountId" | "linkedAt">;

export interface Statements {
  typeByKey: Returning<EventTypeId>;
  insertType: Returning<EventTypeId>;
  /** Computed: every type's and alias's columns, joined. */
  catalogFingerprint: Returning<string>;
  catalogTypes: Returning<CatalogTypeRow>;
  catalogAliases: Returning<CatalogAliasRow>;
  accountByExternalId: Returning<AccountId>;
  accountFieldTimes: Returning<AccountFieldTimes>;
  insertPlaceholderAccount: Returning<AccountId>;
  deleteTags: Writing;
  insertTag: Writing;
  linkOf: Returning<AccountId>;
  linkRow: Returning<LinkRow>;
  upsertLink: Writing;
  confirmLink: Writing;
  markApplied: Writing;
  pendingFor: BetterSqlite3.Statement<[{ id: string }], PendingRow>;
  deletePending: Writing;
  insertEvent: Writing;
  insertPending: Writing;
  upsertRollup: Writing;
  touchKey: Writing;
  upsertAccount: Map<string, Returning<AccountId>>;
  outcomeOf: Returning<StoredOutcome>;
  insertOutcome: Writing;
  updateOutcome: Writing;
  arrOf: Returning<Column<typeof schema.accounts, "arr">>;
}

/**
 * The event types and mapped names as of one state of the database, with the names already
 * resolved against them. A state is identified by a fingerprint of those rows (a few dozen),
 * read once per batch: a resolution is a pure function of the rows, so it stays right for as
 * long as the fingerprint is the same, whichever process or transaction changed them.
 */
export interface CatalogState {
  fingerprint: string;
  catalog: EventTypeCatalog;
  /** Type id by name key. */
  resolved: Map<string, number>;
}

/** What a writer remembers between batches (per SQLite connection, or per PostgreSQL handle). */
export interface WriterCache {
  catalog: CatalogState | null;
  /**
   * Account ids by external id, of committed accounts only: their external id never changes,
   * an account is deleted only by an erasure (which calls forgetIngestionIds), and at 50,000
   * accounts a look-up per event costs more than the rest of its mapping
   * (docs/adr/0008-performance-at-scale.md).
   */
  accountIds: Map<string, number>;
}

export interface WriterState extends WriterCache {
  statements: Statements;
}

/** Ids a write looked up or created: remembered process-wide only once its transaction committed. */
export interface Learned {
  accountIds: Map<string, number>;
}

const MAX_CACHED_ACCOUNTS = 250_000;

export function newLearned(): Learned {
  return { accountIds: new Map() };
}

function remember(writer: WriterCache, learned: Learned): void {
  if (writer.accountIds.size + learned.accountIds.size > MAX_CACHED_ACCOUNTS) writer.accountIds.clear();
  for (const [externalId, id] of learned.accountIds) writer.accountIds.set(externalId, id);
}

const writers = new WeakMap<BetterSqlite3.Database, WriterState & { generation: number }>();
const postgresWriters = new WeakMap<Db, WriterCache & { generation: number }>();
const generation = globalThis as unknown as { cesIngestionIdGeneration?: number };

/**
 * Forgets the account ids every writer of this process remembers: called after an erasure
 * deleted accounts, so that a later event for the same external id creates the account anew
 * instead of pointing at the deleted row.
 */
export function forgetIngestionIds(): void {
  generation.cesIngestionIdGeneration = (generation.cesIngestionIdGeneration ?? 0) + 1;
}

function postgresWriterFor(db: Db): WriterCache {
  const current = generation.cesIngestionIdGeneration ?? 0;
  let state = postgresWriters.get(db);
  if (state && state.generation !== current) {
    state.accountIds.clear();
    state.generation = current;
  }
  if (!state) {
    state = { generation: current, catalog: null, accountIds: new Map() };
    postgresWriters.set(db, state);
  }
  return state;
}

/**
 * Runs a PostgreSQL write, and once more with the remembered account ids forgotten when it
 * referenced an account that is gone. forgetIngestionIds reaches only this process: an account
 * erased through ANOTHER server on the same database is still remembered here, and every event
 * for its external id would point at the deleted row. The second attempt looks the external
 * ids up again (creating the account anew, as on the server that erased it).
 */
async function withCurrentAccountIds<T>(writer: WriterCache, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isMissingReference(error) || writer.accountIds.size === 0) throw error;
    writer.accountIds.clear();
    return write();
  }
}

function writerFor(s: BetterSqlite3.Database): WriterState {
  const current = generation.cesIngestionIdGeneration ?? 0;
  let state = writers.get(s);
  if (state && state.generation !== current) {
    state.accountIds.clear();
    state.generation = current;
  }
  if (state) return state;
  state = {
    generation: current,
    catalog: null,
    accountIds: new Map(),
    statements: {
      typeByKey: s.prepare<unknown[], EventTypeId>("SELECT id FROM event_types WHERE key = ?").pluck(),
      insertType: s
        .prepare<unknown[], EventTypeId>("INSERT INTO event_types (key, label, weight_hundredths, active, is_new, held) VALUES (?, ?, 0, 1, 1, ?) ON CONFLICT(key) DO NOTHING RETURNING id")
        .pluck(),
      catalogFingerprint: s
        .prepare<unknown[], string>(
          `SELECT (SELECT coalesce(group_concat(t, char(31)), '') FROM (SELECT id || char(30) || key || char(30) || label || char(30) || held AS t FROM event_types ORDER BY id))
             || char(29) || (SELECT coalesce(group_concat(a, char(31)), '') FROM (SELECT name_key || char(30) || type_id AS a FROM event_type_aliases ORDER BY name_key))`,
        )
        .pluck(),
      catalogTypes: s.prepare<unknown[], CatalogTypeRow>("SELECT id, key, label, held FROM event_types"),
      catalogAliases: s.prepare<unknown[], CatalogAliasRow>("SELECT name_key AS nameKey, type_id AS typeId FROM event_type_aliases"),
      accountByExternalId: s.prepare<unknown[], AccountId>("SELECT id FROM accounts WHERE external_id = ?").pluck(),
      accountFieldTimes: s.prepare<unknown[], AccountFieldTimes>("SELECT id, field_times AS fieldTimes FROM accounts WHERE external_id = ?"),
      insertPlaceholderAccount: s.prepare<unknown[], AccountId>("INSERT INTO accounts (external_id, name) VALUES (?, ?) ON CONFLICT(external_id) DO NOTHING RETURNING id").pluck(),
      deleteTags: s.prepare("DELETE FROM account_tags WHERE account_id = ?"),
      insertTag: s.prepare("INSERT OR IGNORE INTO account_tags (account_id, tag) VALUES (?, ?)"),
      linkOf: s.prepare<unknown[], AccountId>("SELECT account_id FROM user_links WHERE user_id = ?").pluck(),
      linkRow: s.prepare<unknown[], LinkRow>("SELECT account_id AS accountId, linked_at AS linkedAt FROM user_links WHERE user_id = ?"),
      upsertLink: s.prepare(
        `INSERT INTO user_links (user_id, account_id, linked_at) VALUES (?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET account_id = excluded.account_id, linked_at = excluded.linked_at`,
      ),
      confirmLink: s.prepare("UPDATE user_links SET linked_at = ? WHERE user_id = ? AND linked_at < ?"),
      markApplied: s.prepare("INSERT INTO applied_messages (message_id, received_at, user_id) VALUES (?, ?, ?) ON CONFLICT(message_id) DO NOTHING"),
      pendingFor: s
        .prepare<{ id: string }, PendingRow>(
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
      outcomeOf: s.prepare<unknown[], StoredOutcome>("SELECT id, outcome, arr_before AS arrBefore, arr_after AS arrAfter FROM renewal_outcomes WHERE account_id = ? AND renewal_date = ?"),
      insertOutcome: s.prepare(
        `INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, arr_before, arr_after, source, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateOutcome: s.prepare("UPDATE renewal_outcomes SET outcome = ?, arr_before = ?, arr_after = ?, source = ?, updated_at = ? WHERE id = ?"),
      arrOf: s.prepare<unknown[], Column<typeof schema.accounts, "arr">>("SELECT arr FROM accounts WHERE id = ?").pluck(),
    },
  };
  writers.set(s, state);
  return state;
}

/** A SQLite-only step, on the connection behind `db` (null on PostgreSQL: the caller takes the other path). */
function sqliteOnly<T>(db: Db, work: (sqlite: BetterSqlite3.Database) => T): Promise<T> | null {
  return onSqlite(db, work);
}

/**
 * Stores one request's items in one transaction (IMMEDIATE on SQLite). Throws on database
 * errors (nothing is then stored); SQLITE_BUSY means another process held the write lock for
 * longer than the busy timeout.
 */
export async function ingestBatch(db: Db, items: readonly MapResult[], options: IngestOptions): Promise<IngestResult> {
  const { afterWrite } = options;
  if (db.dialect === "sqlite" && afterWrite) {
    // With work that awaits (the audit entry), the batch runs in a data-layer transaction.
    return db.transaction(async (tx) => {
      const learned = newLearned();
      const written = await sqliteOnly(tx, (sqlite) => {
        const writer = writerFor(sqlite);
        return { writer, result: writeItems(sqlite, writer, items, options, learned) };
      });
      if (!written) throw new Error("a SQLite transaction without its connection");
      await afterWrite(tx, written.result);
      remember(written.writer, learned);
      return written.result;
    });
  }
  const onConnection = sqliteOnly(db, (sqlite) => {
    const writer = writerFor(sqlite);
    const learned = newLearned();
    const result = sqlite.transaction(() => writeItems(sqlite, writer, items, options, learned)).immediate();
    // Only ids that were really committed are remembered.
    remember(writer, learned);
    return result;
  });
  if (onConnection) return onConnection;
  const writer = postgresWriterFor(db);
  const { result, learned } = await withCurrentAccountIds(writer, () =>
    inPostgresWriteTransaction(db, async (tx) => {
      const learned = newLearned();
      const result = await writeItemsPostgres(tx, writer, items, options, learned, null);
      await afterWrite?.(tx, result);
      return { result, learned };
    }),
  );
  remember(writer, learned);
  return result;
}

/** Thrown inside a dry run's transaction to roll it back. */
class DryRunRollback extends Error {}

/**
 * A dry run: writes the items exactly as ingestBatch would, in one transaction, then rolls it
 * back. The result is what the real call would answer (against the data as it is now);
 * nothing is stored, the key's last use included, and no id is remembered.
 */
export async function dryRunBatch(db: Db, items: readonly MapResult[], options: IngestOptions): Promise<IngestResult> {
  const run: { result?: IngestResult } = {};
  try {
    const onConnection = sqliteOnly(db, (sqlite) => {
      const writer = writerFor(sqlite);
      sqlite
        .transaction(() => {
          run.result = writeItems(sqlite, writer, items, options, newLearned());
          throw new DryRunRollback("dry run");
        })
        .immediate();
    });
    if (onConnection) await onConnection;
    else {
      const writer = postgresWriterFor(db);
      await withCurrentAccountIds(writer, () =>
        inPostgresWriteTransaction(db, async (tx) => {
          run.result = await writeItemsPostgres(tx, writer, items, options, newLearned(), null);
          throw new DryRunRollback("dry run");
        }),
      );
    }
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  if (!run.result) throw new Error("The dry run produced no result");
  return run.result;
}

export interface GroupJob {
  items: readonly MapResult[];
  options: IngestOptions;
}

export type GroupOutcome = { ok: true; result: IngestResult } | { ok: false; error: unknown };

/**
 * Stores several requests' batches in ONE transaction (group commit). A batch that fails is
 * rolled back alone and the others commit; a busy database fails the whole group, which the
 * callers answer with 503. (Jobs' `afterWrite` is not run here: group jobs are requests.)
 *
 * The group is first written without savepoints: a savepoint per batch makes SQLite keep a
 * copy of every page a batch touches first, which cost about a sixth of the write
 * (docs/adr/0008-performance-at-scale.md), and a database error inside a batch is rare. If
 * one happens, that attempt is rolled back whole and the group is written again with a
 * savepoint per batch, so only the failing batch is lost. PostgreSQL does the same, with the
 * group's rollups summed over all its batches and written once at the end.
 */
export async function ingestGroup(db: Db, jobs: readonly GroupJob[]): Promise<GroupOutcome[]> {
  const onConnection = sqliteOnly(db, (sqlite) => ingestGroupOnSqlite(sqlite, jobs));
  if (onConnection) return onConnection;
  const writer = postgresWriterFor(db);
  return withCurrentAccountIds(writer, () => ingestGroupOnPostgres(db, writer, jobs));
}

async function ingestGroupOnPostgres(db: Db, writer: WriterCache, jobs: readonly GroupJob[]): Promise<GroupOutcome[]> {
  try {
    const { outcomes, learned } = await inPostgresWriteTransaction(db, async (tx) => {
      const learned = newLearned();
      const group = await prepareWriteGroup(
        tx,
        writer,
        jobs.map((job) => job.items),
      );
      const outcomes: GroupOutcome[] = [];
      for (const job of jobs) outcomes.push({ ok: true, result: await writeItemsPostgres(tx, writer, job.items, job.options, learned, group) });
      // Every batch's events at once, in key order, then their rollups (see postgres-write.ts).
      const rollups: PostgresRollups = new Map();
      await insertDeferredEvents(tx, group.deferred, rollups);
      await writeRollupsPostgres(tx, rollups);
      return { outcomes, learned };
    });
    remember(writer, learned);
    return outcomes;
  } catch (error) {
    if (jobs.length === 1) throw error;
  }
  const { outcomes, learned } = await inPostgresWriteTransaction(db, async (tx) => {
    const committed = newLearned();
    const rollups: PostgresRollups = new Map();
    const outcomes: GroupOutcome[] = [];
    for (const job of jobs) {
      try {
        const done = await tx.transaction(async (savepoint) => {
          const learned = newLearned();
          const own = await prepareWriteGroup(savepoint, writer, [job.items]);
          const result = await writeItemsPostgres(savepoint, writer, job.items, job.options, learned, own);
          const ownRollups: PostgresRollups = new Map();
          await insertDeferredEvents(savepoint, own.deferred, ownRollups);
          return { result, learned, own: ownRollups };
        });
        for (const [key, id] of done.learned.accountIds) committed.accountIds.set(key, id);
        mergeRollups(rollups, done.own);
        outcomes.push({ ok: true, result: done.result });
      } catch (error) {
        // A conflict with another writer runs the whole group again, and so does an account erased
        // by another server (withCurrentAccountIds); anything else loses this batch only.
        if (isRetryableConflict(error) || (isMissingReference(error) && writer.accountIds.size > 0)) throw error;
        outcomes.push({ ok: false, error });
      }
    }
    await writeRollupsPostgres(tx, rollups);
    return { outcomes, learned: committed };
  });
  remember(writer, learned);
  return outcomes;
}

function ingestGroupOnSqlite(sqlite: BetterSqlite3.Database, jobs: readonly GroupJob[]): GroupOutcome[] {
  const writer = writerFor(sqlite);
  const committed = newLearned();
  try {
    const outcomes = sqlite
      .transaction(() => jobs.map((job): GroupOutcome => ({ ok: true, result: writeItems(sqlite, writer, job.items, job.options, committed) })))
      .immediate();
    remember(writer, committed);
    return outcomes;
  } catch (error) {
    if (isDatabaseBusy(error) || jobs.length === 1) throw error;
  }
  return ingestGroupInSavepoints(sqlite, writer, jobs);
}

/** The group again, each batch in a savepoint of its own. */
function ingestGroupInSavepoints(sqlite: BetterSqlite3.Database, writer: WriterState, jobs: readonly GroupJob[]): GroupOutcome[] {
  const committed = newLearned();
  const outcomes = sqlite
    .transaction(() =>
      jobs.map((job): GroupOutcome => {
        const learned = newLearned();
        try {
          const result = sqlite.transaction(() => writeItems(sqlite, writer, job.items, job.options, learned))();
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
