import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { integerArrayLiteral, textArrayLiteral } from "@/db/array-literal";
import { isTransactionConflict, isUniqueViolation } from "@/db/errors";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { matchEventName } from "@/lib/ingestion/event-names";
import type { OutcomeFields } from "@/lib/ingestion/outcome-fields";
import type { AccountOp, AliasOp, EventOp, IngestOp, MapResult, NoOp, OutcomeOp } from "@/lib/ingestion/segment";
import type { OutcomeSource } from "@/lib/accounts/renewal-outcomes";
import { loadEventTypeCatalog } from "./event-type-mapping";
import type { CatalogState, IngestOptions, IngestResult, Learned, WriterCache } from "./writer";
import { ACCOUNT_COLUMN_OF, accountWrite, correctedOutcome, emptyIngestResult, newOutcomeArrs, type StoredOutcome } from "./write-rules";

/**
 * The PostgreSQL side of the batch writer (docs/adr/0015 point 4): the same steps and answers
 * as the SQLite writer (batch-write.ts), with round trips cut to a handful per batch. Runs of
 * consecutive events are written together: their accounts and user links looked up in one
 * query each, missing accounts created in one statement, the events inserted in multi-row
 * `INSERT … ON CONFLICT (day, message_id) DO NOTHING RETURNING` (the same exact dedupe as
 * SQLite; a repeat within the run is counted as a duplicate before it is sent), and the daily
 * rollups of the events really inserted summed per (day, account, type) and upserted once at
 * the end. Anything else (identify, group, alias, outcomes) is written in item order, after the
 * events before it, exactly as SQLite does.
 *
 * Several servers may write at once. Rows are locked in one order by every writer (new
 * accounts, events and rollups sorted by their unique keys), so concurrent batches wait for
 * each other instead of deadlocking; every insert is idempotent (`ON CONFLICT`), so what
 * another server stored first is a duplicate here, never an error, and a rollup counts only the
 * events this transaction inserted. A conflict PostgreSQL still reports (a deadlock between
 * batches with interleaved items, a unique key taken by a concurrent insert) rolls the whole
 * transaction back and it is run again (inPostgresWriteTransaction).
 */

/** Rows per multi-row statement (8 parameters a row stays far below PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 1000;
const MAX_ATTEMPTS = 8;

/**
 * Events to insert at the end of the transaction, all at once in key order (so that two
 * servers writing overlapping events lock them in the same order and wait for each other
 * instead of deadlocking). `result` is the answer to count the event in (null for a waiting
 * event moved by a link: it was counted when it arrived).
 */
export type DeferredEvents = { row: EventRow; result: IngestResult | null }[];

/** What the batches of one transaction share. */
export interface PostgresWriteGroup {
  deferred: DeferredEvents;
  /** Accounts and event types prepareWriteGroup created: the first message naming one counts it as created. */
  precreatedAccounts: Set<string>;
  precreatedTypes: Set<string>;
}

/**
 * Before a transaction writes its batches: registers the new event types its events name and
 * creates the accounts its messages name, each in key order, then locks the accounts its
 * account messages (identify, group) write, in external-id order. Servers writing the same new
 * types and accounts then wait for each other in one order instead of deadlocking; FOR NO KEY
 * UPDATE does not block the key-share locks of events referencing an account.
 */
export async function prepareWriteGroup(tx: Tx, writer: WriterCache, batches: readonly (readonly MapResult[])[]): Promise<PostgresWriteGroup> {
  const group: PostgresWriteGroup = { deferred: [], precreatedAccounts: new Set(), precreatedTypes: new Set() };
  const events: EventOp[] = [];
  const written = new Set<string>();
  const named = new Set<string>();
  for (const items of batches) {
    for (const item of items) {
      if (!item.ok) continue;
      if (item.op.kind === "event") {
        events.push(item.op);
        if (item.op.groupId !== null) named.add(item.op.groupId);
      } else if (item.op.kind === "account") {
        written.add(item.op.groupId);
        named.add(item.op.groupId);
      }
    }
  }
  if (events.length > 0) {
    const catalog = await freshCatalog(tx, writer);
    const unknown = new Map<string, EventOp>();
    for (const op of events) if (!catalog.resolved.has(op.typeKey) && matchEventName(catalog.catalog, op.typeKey).kind !== "type") unknown.set(op.typeKey, op);
    for (const typeKey of [...unknown.keys()].sort()) {
      const op = unknown.get(typeKey);
      if (!op) continue;
      const held = matchEventName(catalog.catalog, typeKey).kind === "held" ? 1 : 0;
      const inserted = await tx.value<EventTypeId>(sql`INSERT INTO event_types (key, label, weight_hundredths, active, is_new, held)
        VALUES (${typeKey}, ${op.typeLabel}, 0, 1, 1, ${held}) ON CONFLICT (key) DO NOTHING RETURNING id`);
      if (inserted !== undefined) group.precreatedTypes.add(typeKey);
    }
  }
  const toCreate = [...named].filter((id) => !writer.accountIds.has(id)).sort();
  for (const chunk of chunks(toCreate)) {
    const created = await tx.all<Columns<typeof schema.accounts, "externalId">>(sql`INSERT INTO accounts (external_id, name)
      VALUES ${sql.join(
        chunk.map((id) => sql`(${id}, ${id})`),
        sql`, `,
      )}
      ON CONFLICT (external_id) DO NOTHING RETURNING external_id AS "externalId"`);
    for (const row of created) group.precreatedAccounts.add(row.externalId);
  }
  for (const chunk of chunks([...written].sort())) {
    await tx.run(sql`SELECT id FROM accounts WHERE external_id = ANY(${sql.param(chunk)}::text[]) ORDER BY external_id FOR NO KEY UPDATE`);
  }
  return group;
}

/** The catalog as the database has it now (its fingerprint read once per batch, and after a type is added). */
async function freshCatalog(tx: Tx, writer: WriterCache): Promise<CatalogState> {
  const fingerprint =
    (await tx.value<string>(sql`SELECT
      (SELECT coalesce(string_agg(id || chr(30) || key || chr(30) || label || chr(30) || held, chr(31) ORDER BY id), '') FROM event_types)
      || chr(29) ||
      (SELECT coalesce(string_agg(name_key || chr(30) || type_id, chr(31) ORDER BY name_key), '') FROM event_type_aliases)`)) ?? "";
  if (writer.catalog?.fingerprint !== fingerprint) {
    writer.catalog = { fingerprint, catalog: await loadEventTypeCatalog(tx), resolved: new Map() };
  }
  return writer.catalog;
}

/** Rollup increments by "day:account:type". */
export type PostgresRollups = Map<string, { day: number; accountId: number; typeId: number; count: number }>;

function addRollup(rollups: PostgresRollups, accountId: number, day: number, typeId: number, quantity: number): void {
  const key = `${day}:${accountId}:${typeId}`;
  const hit = rollups.get(key);
  if (hit) hit.count += quantity;
  else rollups.set(key, { day, accountId, typeId, count: quantity });
}

export function mergeRollups(into: PostgresRollups, from: PostgresRollups): void {
  for (const r of from.values()) addRollup(into, r.accountId, r.day, r.typeId, r.count);
}

/** Upserts the summed increments in the order of their unique key (day, account, type). */
export async function writeRollupsPostgres(tx: Tx, rollups: PostgresRollups): Promise<void> {
  const rows = [...rollups.values()].sort((a, b) => a.day - b.day || a.accountId - b.accountId || a.typeId - b.typeId);
  for (const chunk of chunks(rows)) {
    await tx.run(sql`INSERT INTO daily_rollups (day, account_id, type_id, count)
      SELECT * FROM unnest(${integers(chunk, (r) => r.day)}::integer[], ${integers(chunk, (r) => r.accountId)}::integer[],
        ${integers(chunk, (r) => r.typeId)}::integer[], ${integers(chunk, (r) => r.count)}::integer[])
      ON CONFLICT (day, account_id, type_id) DO UPDATE SET count = daily_rollups.count + excluded.count`);
  }
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) out.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}

/**
 * One column of a chunk of rows as ONE array parameter, for `unnest(…)`: a multi-row insert
 * then has a few parameters instead of one per value (node-pg serialises each parameter, and
 * PostgreSQL parses and plans a new statement text for every chunk size), which costs much of
 * ingestion's CPU at 500 events per batch. The parameter is the array's literal, written here
 * (db/array-literal.ts: node-pg's own conversion of an array costs several times as much).
 */
function integers<T>(rows: readonly T[], value: (row: T) => number): SQL {
  return sql`${integerArrayLiteral(rows.map(value))}`;
}

function texts<T>(rows: readonly T[], value: (row: T) => string | null): SQL {
  return sql`${textArrayLiteral(rows.map(value))}`;
}

function inList(values: readonly (string | number)[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

/** The advisory lock class of user ids (the two-key lock space: apart from the single-key locks elsewhere). */
const USER_LOCK_CLASS = 7_355_609;

/**
 * Locks these users (their ids hashed) until the transaction ends, in one order so that two
 * transactions locking several never deadlock each other.
 */
async function lockUsers(tx: Tx, userIds: readonly string[]): Promise<void> {
  const ids = [...new Set(userIds)].sort();
  if (ids.length === 0) return;
  for (const chunk of chunks(ids)) {
    await tx.run(sql`SELECT pg_advisory_xact_lock(${USER_LOCK_CLASS}, k)
      FROM (SELECT DISTINCT hashtext(id) AS k FROM (VALUES ${sql.join(
        chunk.map((id) => sql`(${id})`),
        sql`, `,
      )}) AS v(id) ORDER BY k) AS keys`);
  }
}

/** Worth running an ingestion transaction again for: a serialization failure or deadlock, or a unique key a concurrent insert took. */
export function isRetryableConflict(error: unknown): boolean {
  return isTransactionConflict(error) || isUniqueViolation(error);
}

/**
 * One write transaction on PostgreSQL, run again from the start after a conflict. It takes no
 * lock of the score sync's: the sync follows `events` by the transactions its snapshot did not
 * see (db/commit-horizon.ts), so batches commit side by side.
 */
export async function inPostgresWriteTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) throw error;
    }
  }
}

export interface EventRow {
  accountId: number;
  typeId: number;
  occurredAt: number;
  day: number;
  quantity: number;
  messageId: string;
  receivedAt: number;
  userId: string | null;
}

interface PendingRow {
  typeId: number;
  occurredAt: number;
  day: number;
  quantity: number;
  messageId: string;
  receivedAt: number;
  userId: string | null;
  anonymousId: string | null;
}

type DedupeKey = Pick<EventRow, "day" | "messageId">;

/** Items by day, then by message id: the first item per (day, message id). */
type ByKey<Item> = Map<number, Map<string, Item>>;

function firstByKey<Item>(items: readonly Item[], key: (item: Item) => DedupeKey): ByKey<Item> {
  const byDay: ByKey<Item> = new Map();
  for (const item of items) {
    const { day, messageId } = key(item);
    let ofDay = byDay.get(day);
    if (!ofDay) byDay.set(day, (ofDay = new Map()));
    if (!ofDay.has(messageId)) ofDay.set(messageId, item);
  }
  return byDay;
}

/**
 * The items of `byDay` in key order: days ascending, message ids by UTF-16 code units (the
 * default sort of strings, much cheaper than a comparator). Every writer sorts alike, which is
 * all the lock order needs.
 */
function inKeyOrder<Item>(byDay: ByKey<Item>): Item[] {
  const out: Item[] = [];
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const ofDay = byDay.get(day);
    if (!ofDay) continue;
    for (const messageId of [...ofDay.keys()].sort()) {
      const item = ofDay.get(messageId);
      if (item !== undefined) out.push(item);
    }
  }
  return out;
}

/** The first row per (day, message id), in key order. */
function firstPerKey<Row extends DedupeKey>(rows: readonly Row[]): Row[] {
  return inKeyOrder(firstByKey(rows, (row) => row));
}

/** The dedupe key of an event the insert stored (a repeat returns nothing). */
type InsertedKey = Columns<typeof schema.events, "day" | "messageId">;

/** A waiting event moving into `events`; `userId` is the user id, or the anonymous id where none was given. */
type PendingMove = Columns<typeof schema.pendingEvents, "id" | "typeId" | "occurredAt" | "day" | "quantity" | "messageId" | "receivedAt" | "userId">;

/** An account's id with its external id. */
type AccountKey = Columns<typeof schema.accounts, "id" | "externalId">;
type AccountId = Column<typeof schema.accounts, "id">;
type EventTypeId = Column<typeof schema.eventTypes, "id">;

class PostgresBatchWrite {
  readonly result: IngestResult = emptyIngestResult();
  private readonly accountIds = new Map<string, number>();
  private readonly links = new Map<string, number | null>();
  private readonly receivedAt: number;
  private catalog: CatalogState | null = null;
  private events: EventOp[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly writer: WriterCache,
    private readonly options: IngestOptions,
    private readonly learned: Learned,
    private readonly group: PostgresWriteGroup,
  ) {
    this.receivedAt = options.receivedAt;
  }

  async item(item: MapResult, index: number): Promise<void> {
    if (!item.ok) {
      this.result.rejected.push({ index, messageId: item.messageId, field: item.field, message: item.message });
      return;
    }
    if (item.op.kind === "event") {
      this.events.push(item.op);
      if (this.events.length >= ROWS_PER_STATEMENT * 5) await this.flushEvents();
      return;
    }
    await this.flushEvents();
    await this.apply(item.op, index);
  }

  private async apply(op: Exclude<IngestOp, EventOp>, index: number): Promise<void> {
    switch (op.kind) {
      case "account":
        return this.applyAccountOp(op);
      case "outcome":
        return this.applyOutcomeOp(op, index);
      case "alias":
        return this.applyAlias(op);
      case "noop":
        return this.applyNoop(op);
    }
  }

  /** Writes the events buffered so far (call before anything else is written, and at the end). */
  async flushEvents(): Promise<void> {
    const ops = this.events;
    if (ops.length === 0) return;
    this.events = [];
    const typeIds: number[] = [];
    for (const op of ops) typeIds.push(await this.typeId(op));
    await this.resolveAccounts(ops.flatMap((op) => (op.groupId !== null ? [op.groupId] : [])));
    await this.resolveLinks(ops.flatMap((op) => (op.groupId !== null ? [] : [op.userId, op.anonymousId].filter((id): id is string => id !== null))));
    const placed = (needingLinks: readonly number[]) => {
      const stored: EventRow[] = [];
      const pending: { index: number; row: PendingRow }[] = [];
      for (const i of needingLinks) {
        const op = ops[i];
        if (!op) continue;
        const typeId = typeIds[i] ?? 0;
        const accountId = op.groupId !== null ? this.knownAccount(op.groupId) : (this.linked(op.userId) ?? this.linked(op.anonymousId));
        // Object literals, not a spread of a shared part: this runs for every event.
        const { occurredAt, day, quantity, messageId } = op;
        const { receivedAt } = this;
        if (accountId !== null) stored.push({ accountId, typeId, occurredAt, day, quantity, messageId, receivedAt, userId: op.userId ?? op.anonymousId });
        else pending.push({ index: i, row: { typeId, occurredAt, day, quantity, messageId, receivedAt, userId: op.userId, anonymousId: op.anonymousId } });
      }
      return { stored, pending };
    };
    let { stored, pending: waiting } = placed(ops.map((_, i) => i));
    if (waiting.length > 0) {
      // Another server may be linking these users this very moment, in a transaction that
      // cannot see the waiting events before this one commits, nor this one its link: both
      // would commit and the events wait forever. The user's lock (also taken by link())
      // orders the two; the links are read again under it.
      const users = waiting.map(({ row }) => row.userId ?? row.anonymousId).filter((id): id is string => id !== null);
      await lockUsers(this.tx, users);
      for (const { row } of waiting) for (const id of [row.userId, row.anonymousId]) if (id !== null) this.links.delete(id);
      await this.resolveLinks(waiting.flatMap(({ row }) => [row.userId, row.anonymousId].filter((id): id is string => id !== null)));
      const again = placed(waiting.map((w) => w.index));
      stored = [...stored, ...again.stored];
      waiting = again.pending;
    }
    const pending = waiting.map((w) => w.row);
    for (const row of stored) this.group.deferred.push({ row, result: this.result });
    // Waiting events are rare: stored now, so that a link later in the batch finds them.
    const pendingCount = await this.insertPending(pending);
    this.result.accepted += pendingCount;
    this.result.eventsStored += pendingCount;
    this.result.pending += pendingCount;
    this.result.duplicates += pending.length - pendingCount;
  }

  private async insertPending(rows: readonly PendingRow[]): Promise<number> {
    const unique = firstPerKey(rows);
    let inserted = 0;
    for (const chunk of chunks(unique)) {
      const done = await this.tx.run(sql`INSERT INTO pending_events (type_id, occurred_at, day, quantity, message_id, received_at, user_id, anonymous_id)
        SELECT * FROM unnest(${integers(chunk, (r) => r.typeId)}::integer[], ${integers(chunk, (r) => r.occurredAt)}::bigint[],
          ${integers(chunk, (r) => r.day)}::integer[], ${integers(chunk, (r) => r.quantity)}::integer[], ${texts(chunk, (r) => r.messageId)}::text[],
          ${integers(chunk, (r) => r.receivedAt)}::bigint[], ${texts(chunk, (r) => r.userId)}::text[], ${texts(chunk, (r) => r.anonymousId)}::text[])
        ON CONFLICT (day, message_id) DO NOTHING`);
      inserted += done.rowsAffected;
    }
    return inserted;
  }

  private linked(userId: string | null): number | null {
    return userId !== null ? (this.links.get(userId) ?? null) : null;
  }

  private knownAccount(externalId: string): number | null {
    return this.accountIds.get(externalId) ?? this.writer.accountIds.get(externalId) ?? null;
  }

  private useAccount(externalId: string, id: number): void {
    this.accountIds.set(externalId, id);
    this.learned.accountIds.set(externalId, id);
  }

  /** Looks up the accounts of these external ids, creating the missing ones as placeholders (named by the id), in id order. */
  private async resolveAccounts(externalIds: readonly string[]): Promise<void> {
    const missing = [...new Set(externalIds)].filter((id) => this.knownAccount(id) === null);
    if (missing.length === 0) return;
    await this.lookUpAccounts(missing);
    const toCreate = missing.filter((id) => !this.accountIds.has(id)).sort();
    for (const chunk of chunks(toCreate)) {
      const created = await this.tx.all<AccountKey>(sql`INSERT INTO accounts (external_id, name)
        VALUES ${sql.join(
          chunk.map((id) => sql`(${id}, ${id})`),
          sql`, `,
        )}
        ON CONFLICT (external_id) DO NOTHING RETURNING id, external_id AS "externalId"`);
      for (const row of created) this.useAccount(row.externalId, row.id);
      this.result.accountsCreated += created.length;
    }
    // Created meanwhile by another server (committed before our insert ran).
    const raced = toCreate.filter((id) => !this.accountIds.has(id));
    if (raced.length > 0) await this.lookUpAccounts(raced);
    for (const id of raced) if (!this.accountIds.has(id)) throw new Error(`account "${id}" could be neither found nor created`);
  }

  private async lookUpAccounts(externalIds: readonly string[]): Promise<void> {
    for (const chunk of chunks(externalIds)) {
      const rows = await this.tx.all<AccountKey>(
        sql`SELECT id, external_id AS "externalId" FROM accounts WHERE external_id = ANY(${sql.param(chunk)}::text[])`,
      );
      for (const row of rows) {
        this.useAccount(row.externalId, row.id);
        if (this.group.precreatedAccounts.delete(row.externalId)) this.result.accountsCreated++;
      }
    }
  }

  private async resolveLinks(userIds: readonly string[]): Promise<void> {
    const unknown = [...new Set(userIds)].filter((id) => !this.links.has(id));
    for (const chunk of chunks(unknown)) {
      const rows = await this.tx.all<Columns<typeof schema.userLinks, "userId" | "accountId">>(
        sql`SELECT user_id AS "userId", account_id AS "accountId" FROM user_links WHERE user_id = ANY(${sql.param(chunk)}::text[])`,
      );
      for (const id of chunk) this.links.set(id, null);
      for (const row of rows) this.links.set(row.userId, row.accountId);
    }
  }

  private async linkOf(userId: string): Promise<number | null> {
    await this.resolveLinks([userId]);
    return this.links.get(userId) ?? null;
  }

  private freshCatalog(): Promise<CatalogState> {
    return freshCatalog(this.tx, this.writer);
  }

  /** The event type an event's name matches; a new name registers a new type. */
  private async typeId(op: EventOp): Promise<number> {
    if (this.group.precreatedTypes.delete(op.typeKey)) this.result.eventTypesCreated++;
    this.catalog ??= await this.freshCatalog();
    const known = this.catalog.resolved.get(op.typeKey);
    if (known !== undefined) return known;
    const match = matchEventName(this.catalog.catalog, op.typeKey);
    if (match.kind === "type") {
      this.catalog.resolved.set(op.typeKey, match.typeId);
      return match.typeId;
    }
    const held = match.kind === "held" ? 1 : 0;
    const inserted = await this.tx.value<EventTypeId>(sql`INSERT INTO event_types (key, label, weight_hundredths, active, is_new, held)
      VALUES (${op.typeKey}, ${op.typeLabel}, 0, 1, 1, ${held}) ON CONFLICT (key) DO NOTHING RETURNING id`);
    if (inserted !== undefined) this.result.eventTypesCreated++;
    const id = inserted ?? (await this.tx.value<EventTypeId>(sql`SELECT id FROM event_types WHERE key = ${op.typeKey}`));
    if (id === undefined) throw new Error(`event type "${op.typeKey}" could be neither found nor created`);
    // Rebuilt whenever the table differs: an id from a rolled-back transaction is never used again.
    this.catalog = await this.freshCatalog();
    this.catalog.resolved.set(op.typeKey, id);
    return id;
  }

  private async applyAccountOp(op: AccountOp): Promise<void> {
    if (op.applyOnce && !(await this.firstTime(op.messageId, op.linkIds[0] ?? null))) {
      this.result.duplicates++;
      return;
    }
    const accountId = await this.applyAccount(op);
    if (op.outcome) await this.recordOutcome(accountId, op.outcome, "segment");
    this.result.accepted++;
  }

  private async applyOutcomeOp(op: OutcomeOp, index: number): Promise<void> {
    const accountId = this.accountIds.get(op.groupId) ?? (await this.tx.value<AccountId>(sql`SELECT id FROM accounts WHERE external_id = ${op.groupId}`));
    if (accountId === undefined) {
      this.result.rejected.push({ index, messageId: op.messageId, field: op.accountField, message: `account "${op.groupId}" does not exist; create it first` });
      return;
    }
    this.accountIds.set(op.groupId, accountId);
    if ((await this.recordOutcome(accountId, op.outcome, op.source)) === "duplicate") this.result.duplicates++;
    else this.result.accepted++;
  }

  private async applyAlias(op: AliasOp): Promise<void> {
    if (!(await this.firstTime(op.messageId, op.userId))) {
      this.result.duplicates++;
      return;
    }
    const current = await this.linkOf(op.userId);
    const previous = await this.linkOf(op.previousId);
    if (current !== null && previous === null) await this.link(op.previousId, current, op.at);
    else if (previous !== null && current === null) await this.link(op.userId, previous, op.at);
    this.result.accepted++;
  }

  private async applyNoop(op: NoOp): Promise<void> {
    if (await this.firstTime(op.messageId, op.userId)) this.result.accepted++;
    else this.result.duplicates++;
  }

  /** Links a user to an account as of `at`, unless a newer message linked it elsewhere; the user's waiting events move into `events`. */
  private async link(userId: string, accountId: number, at: number): Promise<void> {
    const { tx } = this;
    const current = await tx.get<Columns<typeof schema.userLinks, "accountId" | "linkedAt">>(
      sql`SELECT account_id AS "accountId", linked_at AS "linkedAt" FROM user_links WHERE user_id = ${userId} FOR NO KEY UPDATE`,
    );
    if (current && current.linkedAt > at) return;
    if (current && current.accountId === accountId) {
      await tx.run(sql`UPDATE user_links SET linked_at = ${at} WHERE user_id = ${userId} AND linked_at < ${at}`);
      return;
    }
    // After any transaction storing this user's events as waiting has committed, so the query below sees them (flushEvents).
    await lockUsers(tx, [userId]);
    await tx.run(sql`INSERT INTO user_links (user_id, account_id, linked_at) VALUES (${userId}, ${accountId}, ${at})
      ON CONFLICT (user_id) DO UPDATE SET account_id = excluded.account_id, linked_at = excluded.linked_at`);
    this.links.set(userId, accountId);
    const waiting = await tx.all<PendingMove>(sql`SELECT id, type_id AS "typeId", occurred_at AS "occurredAt", day, quantity, message_id AS "messageId",
        received_at AS "receivedAt", coalesce(user_id, anonymous_id) AS "userId"
      FROM pending_events WHERE user_id = ${userId} OR (user_id IS NULL AND anonymous_id = ${userId}) ORDER BY id`);
    if (waiting.length === 0) return;
    for (const { id: _id, ...row } of waiting) this.group.deferred.push({ row: { ...row, accountId }, result: null });
    for (const chunk of chunks(waiting.map((w) => w.id))) await tx.run(sql`DELETE FROM pending_events WHERE id IN (${inList(chunk)})`);
  }

  /** Upserts the account with the fields of the patch no newer message has set, then links its users. */
  private async applyAccount(op: AccountOp): Promise<number> {
    const { tx, receivedAt } = this;
    const at = op.at ?? receivedAt;
    const existing = await tx.get<Columns<typeof schema.accounts, "id" | "fieldTimes">>(
      sql`SELECT id, field_times AS "fieldTimes" FROM accounts WHERE external_id = ${op.groupId} FOR NO KEY UPDATE`,
    );
    // An account this transaction created for its account messages is new to the first of them.
    const isNew = existing === undefined || this.group.precreatedAccounts.delete(op.groupId);
    const write = accountWrite(op.groupId, op.patch, at, !isNew, existing?.fieldTimes);
    let id: number;
    if (write.applies) {
      const columns = write.fields.map((f) => sql.raw(ACCOUNT_COLUMN_OF[f]));
      const updates = [
        ...(write.setsName ? [sql`name = excluded.name`] : []),
        ...write.fields.map((f) => sql.raw(`${ACCOUNT_COLUMN_OF[f]} = excluded.${ACCOUNT_COLUMN_OF[f]}`)),
        sql`field_times = excluded.field_times`,
        sql`updated_at = ${receivedAt}`,
      ];
      const upserted = await tx.value<AccountId>(sql`INSERT INTO accounts (external_id, name${sql.join(
        columns.map((c) => sql`, ${c}`),
        sql``,
      )}, field_times, created_at, updated_at)
        VALUES (${op.groupId}, ${write.name}${sql.join(
          write.fields.map((f) => sql`, ${write.values[f] ?? null}`),
          sql``,
        )}, ${write.fieldTimes}, ${receivedAt}, ${receivedAt})
        ON CONFLICT (external_id) DO UPDATE SET ${sql.join(updates, sql`, `)}
        RETURNING id`);
      if (upserted === undefined) throw new Error(`account "${op.groupId}" was not written`);
      id = upserted;
      if (write.tags) {
        await tx.run(sql`DELETE FROM account_tags WHERE account_id = ${id}`);
        for (const tag of write.tags) await tx.run(sql`INSERT INTO account_tags (account_id, tag) VALUES (${id}, ${tag}) ON CONFLICT DO NOTHING`);
      }
    } else if (existing) {
      id = existing.id;
    } else {
      throw new Error("an account message for a new account must write it");
    }
    if (isNew) this.result.accountsCreated++;
    else this.result.accountsUpdated++;
    this.useAccount(op.groupId, id);
    for (const userId of op.linkIds) await this.link(userId, id, at);
    return id;
  }

  /** For identify, group and alias: false when this messageId was applied before. */
  private async firstTime(messageId: string, sender: string | null): Promise<boolean> {
    const done = await this.tx.run(
      sql`INSERT INTO applied_messages (message_id, received_at, user_id) VALUES (${messageId}, ${this.receivedAt}, ${sender}) ON CONFLICT (message_id) DO NOTHING`,
    );
    return done.rowsAffected > 0;
  }

  /** Records a renewal outcome, idempotently on (account, renewal date) (rules: write-rules.ts). */
  private async recordOutcome(accountId: number, fields: OutcomeFields, source: OutcomeSource): Promise<"created" | "updated" | "duplicate"> {
    const { tx, receivedAt, result } = this;
    const existing = await tx.get<StoredOutcome>(sql`SELECT id, outcome, arr_before AS "arrBefore", arr_after AS "arrAfter"
      FROM renewal_outcomes WHERE account_id = ${accountId} AND renewal_date = ${fields.renewalDate} FOR NO KEY UPDATE`);
    if (!existing) {
      const accountArr = fields.arrBefore !== undefined ? null : ((await tx.value<Column<typeof schema.accounts, "arr">>(sql`SELECT arr FROM accounts WHERE id = ${accountId}`)) ?? null);
      const { arrBefore, arrAfter } = newOutcomeArrs(fields, accountArr);
      await tx.run(sql`INSERT INTO renewal_outcomes (account_id, renewal_date, outcome, arr_before, arr_after, source, created_at, updated_at)
        VALUES (${accountId}, ${fields.renewalDate}, ${fields.outcome}, ${arrBefore}, ${arrAfter}, ${source}, ${receivedAt}, ${receivedAt})`);
      result.outcomesCreated++;
      return "created";
    }
    const corrected = correctedOutcome(existing, fields);
    if (!corrected) return "duplicate";
    await tx.run(sql`UPDATE renewal_outcomes SET outcome = ${fields.outcome}, arr_before = ${corrected.arrBefore}, arr_after = ${corrected.arrAfter},
      source = ${source}, updated_at = ${receivedAt} WHERE id = ${existing.id}`);
    result.outcomesUpdated++;
    return "updated";
  }

  /**
   * Records the write key's last use (at most once a minute per key), unless another
   * transaction is recording it right now (SKIP LOCKED): a plain UPDATE waited for that
   * transaction to commit, so once a minute every concurrent group of batches sent with the
   * key queued behind the one that took its row, for up to the length of a whole group.
   */
  async touchWriteKey(): Promise<void> {
    const { writeKeyId } = this.options;
    if (writeKeyId === undefined || writeKeyId === null) return;
    await this.tx.run(
      sql`UPDATE write_keys SET last_used_at = ${this.receivedAt}
        WHERE id = (SELECT id FROM write_keys WHERE id = ${writeKeyId} AND (last_used_at IS NULL OR last_used_at < ${this.receivedAt - 60_000}) FOR NO KEY UPDATE SKIP LOCKED)`,
    );
  }
}

/**
 * Inserts the deferred events of a batch or group: the first per (day, message id), in key
 * order; each is counted in its answer as accepted or a duplicate, and the rollups count the
 * ones inserted.
 */
export async function insertDeferredEvents(tx: Tx, deferred: DeferredEvents, rollups: PostgresRollups): Promise<void> {
  const byKey = firstByKey(deferred, (entry) => entry.row);
  const inserted = new Set<DeferredEvents[number]>();
  for (const chunk of chunks(inKeyOrder(byKey))) {
    const keys = await tx.all<InsertedKey>(sql`INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at, user_id)
      SELECT * FROM unnest(${integers(chunk, (e) => e.row.accountId)}::integer[], ${integers(chunk, (e) => e.row.typeId)}::integer[],
        ${integers(chunk, (e) => e.row.occurredAt)}::bigint[], ${integers(chunk, (e) => e.row.day)}::integer[], ${integers(chunk, (e) => e.row.quantity)}::integer[],
        ${texts(chunk, (e) => e.row.messageId)}::text[], ${integers(chunk, (e) => e.row.receivedAt)}::bigint[], ${texts(chunk, (e) => e.row.userId)}::text[])
      ON CONFLICT (day, message_id) DO NOTHING RETURNING day, message_id AS "messageId"`);
    for (const key of keys) {
      const entry = byKey.get(key.day)?.get(key.messageId);
      if (!entry) continue;
      inserted.add(entry);
      addRollup(rollups, entry.row.accountId, entry.row.day, entry.row.typeId, entry.row.quantity);
    }
  }
  for (const entry of deferred) {
    if (!entry.result) continue;
    if (inserted.has(entry)) {
      entry.result.accepted++;
      entry.result.eventsStored++;
    } else entry.result.duplicates++;
  }
  deferred.length = 0;
}

/**
 * Writes one request's items on PostgreSQL inside the caller's transaction (which holds the
 * commit horizon: inPostgresWriteTransaction). With `group` (from prepareWriteGroup over every
 * batch of the transaction), its events are left in `group.deferred` for the caller to insert once for a whole group (insertDeferredEvents, then
 * writeRollupsPostgres): the counts of the answer are complete only then. Without, they are
 * inserted and counted here.
 */
export async function writeItemsPostgres(
  tx: Tx,
  writer: WriterCache,
  items: readonly MapResult[],
  options: IngestOptions,
  learned: Learned,
  group: PostgresWriteGroup | null,
): Promise<IngestResult> {
  const own = group ?? (await prepareWriteGroup(tx, writer, [items]));
  const batch = new PostgresBatchWrite(tx, writer, options, learned, own);
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (item) await batch.item(item, index);
  }
  await batch.flushEvents();
  await batch.touchWriteKey();
  if (!group) {
    const rollups: PostgresRollups = new Map();
    await insertDeferredEvents(tx, own.deferred, rollups);
    await writeRollupsPostgres(tx, rollups);
  }
  return batch.result;
}
