import "server-only";
import type BetterSqlite3 from "better-sqlite3";
import { buildEventTypeCatalog, matchEventName } from "@/lib/ingestion/event-names";
import type { OutcomeFields } from "@/lib/ingestion/outcome-fields";
import type { AccountOp, AliasOp, EventOp, IngestOp, MapResult, NoOp, OutcomeOp } from "@/lib/ingestion/segment";
import type { OutcomeSource } from "@/lib/accounts/renewal-outcomes";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";
import { expectRow } from "@/db/sqlite-client";
import type { CatalogState, IngestOptions, IngestResult, Learned, Returning, Statements, WriterState } from "./writer";
import { ACCOUNT_COLUMN_OF, accountWrite, correctedOutcome, emptyIngestResult, newOutcomeArrs, type AccountColumnField } from "./write-rules";

/**
 * One batch's writes, step by step (writer.ts runs them inside its transaction): each mapped
 * item is applied by the step for its kind (event, account, outcome, alias, no-op), the
 * rollups summed on the way are upserted once per key at the end, then the write key's last
 * use is recorded. The ids it looks up go to `learned`, remembered only once committed.
 */

/** An upsert setting exactly the fields a patch names (one prepared statement per field set). */
function upsertAccountStatement(sqlite: BetterSqlite3.Database, statements: Statements, fields: readonly AccountColumnField[], setsName: boolean): Returning<Column<typeof schema.accounts, "id">> {
  const cacheKey = `${setsName ? "name," : ""}${fields.join(",")}`;
  let statement = statements.upsertAccount.get(cacheKey);
  if (statement) return statement;
  const columns = fields.map((f) => ACCOUNT_COLUMN_OF[f]);
  const updates = [
    ...(setsName ? ["name = excluded.name"] : []),
    ...columns.map((c) => `${c} = excluded.${c}`),
    "field_times = excluded.field_times",
    "updated_at = @now",
  ];
  statement = sqlite
    .prepare<unknown[], Column<typeof schema.accounts, "id">>(
      `INSERT INTO accounts (external_id, name${columns.map((c) => `, ${c}`).join("")}, field_times, created_at, updated_at)
       VALUES (@externalId, @name${fields.map((f) => `, @${f}`).join("")}, @fieldTimes, @now, @now)
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

/** What one item's steps share while a batch is written: its counts, its look-ups and its rollups. */
class BatchWrite {
  readonly result: IngestResult = emptyIngestResult();
  private readonly st: Statements;
  private readonly rollups: RollupDeltas = new Map();
  private readonly accountIds = new Map<string, number>();
  private readonly links = new Map<string, number | null>();
  private readonly receivedAt: number;
  /** The catalog as the database has it now (checked once per batch, and after a type is added). */
  private catalog: CatalogState | null = null;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly writer: WriterState,
    private readonly options: IngestOptions,
    private readonly learned: Learned,
  ) {
    this.st = writer.statements;
    this.receivedAt = options.receivedAt;
  }

  /** Applies one mapped item, or reports why it was rejected. */
  item(item: MapResult, index: number): void {
    if (item.ok) this.apply(item.op, index);
    else this.result.rejected.push({ index, messageId: item.messageId, field: item.field, message: item.message });
  }

  private apply(op: IngestOp, index: number): void {
    switch (op.kind) {
      case "event":
        this.applyEvent(op);
        return;
      case "account":
        this.applyAccountOp(op);
        return;
      case "outcome":
        this.applyOutcomeOp(op, index);
        return;
      case "alias":
        this.applyAlias(op);
        return;
      case "noop":
        this.applyNoop(op);
        return;
    }
  }

  /** Upserts the rollups summed over the batch, once per (day, account, type). */
  writeRollups(): void {
    for (const [accountId, perAccount] of this.rollups) {
      for (const [key, count] of perAccount) {
        this.st.upsertRollup.run(Math.floor(key / TYPE_SLOTS), accountId, key % TYPE_SLOTS, count);
      }
    }
  }

  /** Records the write key's last use (at most once a minute per key). */
  touchWriteKey(): void {
    const { writeKeyId } = this.options;
    if (writeKeyId !== undefined && writeKeyId !== null) this.st.touchKey.run(this.receivedAt, writeKeyId, this.receivedAt - 60_000);
  }

  /** An event: stored on its account (by group, or by its user's link), or kept waiting for a link. */
  private applyEvent(op: EventOp): void {
    const { st, result, receivedAt } = this;
    const type = this.typeId(op);
    const accountId =
      op.groupId !== null
        ? this.accountFor(op.groupId)
        : ((op.userId !== null ? this.linkOf(op.userId) : null) ?? (op.anonymousId !== null ? this.linkOf(op.anonymousId) : null));
    if (accountId !== null) {
      if (this.storeEvent(accountId, type, op.occurredAt, op.day, op.quantity, op.messageId, receivedAt, op.userId ?? op.anonymousId)) {
        result.accepted++;
        result.eventsStored++;
      } else result.duplicates++;
      return;
    }
    const stored = st.insertPending.run(type, op.occurredAt, op.day, op.quantity, op.messageId, receivedAt, op.userId, op.anonymousId).changes > 0;
    if (stored) {
      result.accepted++;
      result.eventsStored++;
      result.pending++;
    } else {
      result.duplicates++;
    }
  }

  /** group / identify naming a company: the account, its users' links and an outcome it carries. */
  private applyAccountOp(op: AccountOp): void {
    if (op.applyOnce && !this.firstTime(op.messageId, op.linkIds[0] ?? null)) {
      this.result.duplicates++;
      return;
    }
    const accountId = this.applyAccount(op);
    if (op.outcome) this.recordOutcome(accountId, op.outcome, "segment");
    this.result.accepted++;
  }

  /** A renewal outcome, for an account that must exist already. */
  private applyOutcomeOp(op: OutcomeOp, index: number): void {
    const { st, result } = this;
    const accountId = this.accountIds.get(op.groupId) ?? st.accountByExternalId.get(op.groupId);
    if (accountId === undefined) {
      result.rejected.push({ index, messageId: op.messageId, field: op.accountField, message: `account "${op.groupId}" does not exist; create it first` });
      return;
    }
    this.accountIds.set(op.groupId, accountId);
    if (this.recordOutcome(accountId, op.outcome, op.source) === "duplicate") result.duplicates++;
    else result.accepted++;
  }

  /** alias: whichever of the two ids is linked lends its account to the other. */
  private applyAlias(op: AliasOp): void {
    if (!this.firstTime(op.messageId, op.userId)) {
      this.result.duplicates++;
      return;
    }
    const current = this.linkOf(op.userId);
    const previous = this.linkOf(op.previousId);
    if (current !== null && previous === null) this.link(op.previousId, current, op.at);
    else if (previous !== null && current === null) this.link(op.userId, previous, op.at);
    this.result.accepted++;
  }

  /** A message with nothing to store (page, screen…): counted once by its messageId. */
  private applyNoop(op: NoOp): void {
    if (this.firstTime(op.messageId, op.userId)) this.result.accepted++;
    else this.result.duplicates++;
  }

  private freshCatalog(): CatalogState {
    const { st, writer } = this;
    const fingerprint = expectRow(st.catalogFingerprint.get(), "the event type catalog's fingerprint");
    if (writer.catalog?.fingerprint !== fingerprint) {
      const types = st.catalogTypes.all().map((t) => ({ ...t, held: t.held === 1 }));
      writer.catalog = { fingerprint, catalog: buildEventTypeCatalog(types, st.catalogAliases.all()), resolved: new Map() };
    }
    return writer.catalog;
  }

  /** The event type an event's name matches; a new name registers a new type. */
  private typeId(op: EventOp): number {
    const { st } = this;
    this.catalog ??= this.freshCatalog();
    const known = this.catalog.resolved.get(op.typeKey);
    if (known !== undefined) return known;
    const match = matchEventName(this.catalog.catalog, op.typeKey);
    if (match.kind === "type") {
      this.catalog.resolved.set(op.typeKey, match.typeId);
      return match.typeId;
    }
    // A new type (held when the name nearly matches others); another writer may have added it meanwhile.
    const inserted = st.insertType.get(op.typeKey, op.typeLabel, match.kind === "held" ? 1 : 0);
    if (inserted !== undefined) this.result.eventTypesCreated++;
    const id = inserted ?? expectRow(st.typeByKey.get(op.typeKey), `event type ${op.typeKey} after its insert`);
    // The catalog is rebuilt whenever the table differs from it, so an id from a rolled-back
    // transaction (a dry run, a failed batch) is never used again.
    this.catalog = this.freshCatalog();
    this.catalog.resolved.set(op.typeKey, id);
    return id;
  }

  /** The account of an external id, created as a placeholder (named by the id) when unknown. */
  private accountFor(externalId: string): number {
    const { st } = this;
    const cached = this.accountIds.get(externalId) ?? this.writer.accountIds.get(externalId);
    if (cached !== undefined) return cached;
    let id = st.accountByExternalId.get(externalId);
    if (id === undefined) {
      id = st.insertPlaceholderAccount.get(externalId, externalId) ?? expectRow(st.accountByExternalId.get(externalId), `account ${externalId} after its insert`);
      this.result.accountsCreated++;
    }
    this.accountIds.set(externalId, id);
    this.learned.accountIds.set(externalId, id);
    return id;
  }

  private linkOf(userId: string): number | null {
    const cached = this.links.get(userId);
    if (cached !== undefined) return cached;
    const id = this.st.linkOf.get(userId) ?? null;
    this.links.set(userId, id);
    return id;
  }

  private storeEvent(accountId: number, type: number, occurredAt: number, day: number, quantity: number, messageId: string, received: number, userId: string | null): boolean {
    if (this.st.insertEvent.run(accountId, type, occurredAt, day, quantity, messageId, received, userId).changes === 0) return false;
    addRollup(this.rollups, accountId, day, type, quantity);
    return true;
  }

  /**
   * Links a user to an account as of `at`, unless a newer message linked it elsewhere; the
   * events waiting for that user move into `events`.
   */
  private link(userId: string, accountId: number, at: number): void {
    const { st } = this;
    const current = st.linkRow.get(userId);
    if (current && current.linkedAt > at) return;
    if (current && current.accountId === accountId) {
      // The same link, said again: a message older than this one must not move it any more.
      st.confirmLink.run(at, userId, at);
      return;
    }
    st.upsertLink.run(userId, accountId, at);
    this.links.set(userId, accountId);
    for (const row of st.pendingFor.all({ id: userId })) {
      const [pendingId, type, occurredAt, day, quantity, messageId, received, eventUserId] = row;
      this.storeEvent(accountId, type, occurredAt, day, quantity, messageId, received, eventUserId);
      st.deletePending.run(pendingId);
    }
  }

  /** Upserts the account with the fields of the patch no newer message has set, then links its users. */
  private applyAccount(op: AccountOp): number {
    const { st, receivedAt } = this;
    const at = op.at ?? receivedAt;
    const existing = st.accountFieldTimes.get(op.groupId);
    const write = accountWrite(op.groupId, op.patch, at, existing !== undefined, existing?.fieldTimes);
    let id: number;
    if (write.applies) {
      const params: Record<string, unknown> = { externalId: op.groupId, name: write.name, now: receivedAt, fieldTimes: write.fieldTimes, ...write.values };
      id = expectRow(upsertAccountStatement(this.sqlite, st, write.fields, write.setsName).get(params), `account ${op.groupId} after its upsert`);
      if (write.tags) {
        st.deleteTags.run(id);
        for (const tag of write.tags) st.insertTag.run(id, tag);
      }
    } else if (existing) {
      id = existing.id;
    } else {
      throw new Error("an account message for a new account must write it");
    }
    if (existing === undefined) this.result.accountsCreated++;
    else this.result.accountsUpdated++;
    this.accountIds.set(op.groupId, id);
    this.learned.accountIds.set(op.groupId, id);
    for (const userId of op.linkIds) this.link(userId, id, at);
    return id;
  }

  /**
   * For Segment's identify, group and alias: false when this messageId was applied before.
   * The sender is kept with it so that erasing them erases it too.
   */
  private firstTime(messageId: string, sender: string | null): boolean {
    return this.st.markApplied.run(messageId, this.receivedAt, sender).changes > 0;
  }

  /**
   * Records a renewal outcome, idempotently on (account, renewal date): the same values again
   * change nothing (a duplicate), different ones correct the stored outcome. Left-out ARRs keep
   * the stored value; a new outcome takes the account's ARR as "before" and 0 "after" a churn.
   */
  private recordOutcome(accountId: number, fields: OutcomeFields, source: OutcomeSource): "created" | "updated" | "duplicate" {
    const { st, receivedAt, result } = this;
    const existing = st.outcomeOf.get(accountId, fields.renewalDate);
    if (!existing) {
      const { arrBefore, arrAfter } = newOutcomeArrs(fields, fields.arrBefore !== undefined ? null : (st.arrOf.get(accountId) ?? null));
      st.insertOutcome.run(accountId, fields.renewalDate, fields.outcome, arrBefore, arrAfter, source, receivedAt, receivedAt);
      result.outcomesCreated++;
      return "created";
    }
    const corrected = correctedOutcome(existing, fields);
    if (!corrected) return "duplicate";
    st.updateOutcome.run(fields.outcome, corrected.arrBefore, corrected.arrAfter, source, receivedAt, existing.id);
    result.outcomesUpdated++;
    return "updated";
  }
}

/**
 * Writes the mapped items of one request (rejected items are reported, the rest stored),
 * rollups included. Must run inside a better-sqlite3 transaction (see ingestBatch, ingestGroup in writer.ts); the
 * ids it looks up go to `learned`, to be remembered only once committed.
 */
export function writeItems(sqlite: BetterSqlite3.Database, writer: WriterState, items: readonly MapResult[], options: IngestOptions, learned: Learned): IngestResult {
  const batch = new BatchWrite(sqlite, writer, options, learned);
  items.forEach((item, index) => batch.item(item, index));
  batch.writeRollups();
  batch.touchWriteKey();
  return batch.result;
}
