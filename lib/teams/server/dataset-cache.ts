import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { log } from "@/lib/log";
import { yieldToEventLoop } from "@/lib/event-loop";
import os from "node:os";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { hasUnseen, markOf, unseenBy, type FollowMark } from "@/db/commit-horizon";
import { jsonRows } from "@/db/dialect";
import { sqliteConnectionOf } from "@/db/sqlite-client";
import { parseIsoDate } from "@/lib/days";
import { closedDays, decodeHistory } from "@/lib/scoring/history";
import { createDataset, writeAccount, type AccountRecord, type TeamsDataset } from "@/lib/teams/dataset";
import { HISTORY_DAYS } from "@/lib/scoring/server/recompute";
import { loadScoringSettings, type ScoringSettings } from "@/lib/scoring/server/settings";

/**
 * The in-process pre-aggregation behind segments, trends and before/after (docs/adr/0004-team-views-in-memory-pre-aggregation.md):
 *
 * 1. A TeamsDataset holds every scored account's attributes, tags, current score and decoded
 *    daily history in flat typed arrays (≈ 1.5 kB per account: 73 MB at 50,000 accounts).
 * 2. It is kept current by the `aggregate_changes` log that triggers and the score writers
 *    append to whenever an account, its tags, its score or its history change (from any
 *    process or server). Each request asks whether the log holds a row that the last load did
 *    not see (db/commit-horizon.ts: on SQLite a seq above the last one, one index lookup; on
 *    PostgreSQL a row whose transaction the last load's snapshot did not see, so a lower seq
 *    committed after a higher one is never skipped) and reloads only the accounts changed
 *    since; a change of day, of the scoring settings or of most accounts reloads everything.
 *    So a change committed through another server is in this server's views on the next
 *    request.
 * 3. Results derived from the dataset (per-segment summaries, daily series, medians,
 *    before/after groups) are memoised by dataset version, so warm requests only slice and
 *    serialise them.
 *
 * Reads need no transaction: the mark is read first and every row after it, so rows are at
 * least as new as the mark, and anything committed later is unseen by it and read again.
 */

interface CacheState {
  dataset: TeamsDataset | null;
  /** The asOfDay + settings the dataset was built for; a change means a full reload. */
  shapeKey: string;
  /** What the last load saw of the log; null before the first. */
  mark: FollowMark | null;
  derived: Map<string, unknown>;
  fullLoads: number;
  incrementalLoads: number;
  /** The refresh under way: one at a time, so the dataset is never written by two at once. */
  refreshing: Promise<unknown>;
}

/**
 * On globalThis, like the database handle itself: Next bundles instrumentation (which warms
 * the cache) and the routes separately, and each bundle would otherwise get its own copy.
 * Keyed by the SQLite connection (every handle on it shares one cache), or by the PostgreSQL
 * handle (one pool: one server).
 */
const globalForCache = globalThis as unknown as { cesTeamsCaches?: WeakMap<object, CacheState> };
const caches = (globalForCache.cesTeamsCaches ??= new WeakMap<object, CacheState>());
const MAX_DERIVED_ENTRIES = 256;
/** Accounts read (and written into the dataset) between two turns of the event loop in a full load. */
const FULL_LOAD_PAGE = 1_000;
/** Above this many changed accounts a full reload is cheaper than one by one. */
const INCREMENTAL_LIMIT = 2_000;
/** The log is pruned to this many rows once it grows past twice as many. */
const LOG_KEEP = 100_000;
const LITTLE_ENDIAN = os.endianness() === "LE";

function state(db: Db): CacheState {
  const owner = sqliteConnectionOf(db) ?? db;
  let s = caches.get(owner);
  if (!s) {
    s = { dataset: null, shapeKey: "", mark: null, derived: new Map(), fullLoads: 0, incrementalLoads: 0, refreshing: Promise.resolve() };
    caches.set(owner, s);
  }
  return s;
}

/** An account with its stored score (`current`, `previous`: hundredths now and compareDays ago) and its stored history, if any. */
type Row = Columns<typeof schema.accounts, "id" | "plan" | "region" | "industry" | "accountManager" | "stage" | "signupDate"> &
  Columns<typeof schema.accountScores, "firstDay" | "activity" | "previousActivity" | "band" | "declining" | "asOfDay"> & {
    current: Column<typeof schema.accountScores, "scoreHundredths">;
    previous: Column<typeof schema.accountScores, "previousHundredths">;
    historyStart: Column<typeof schema.scoreHistory, "startDay"> | null;
    scores: Column<typeof schema.scoreHistory, "scores"> | null;
  };

const ROW_SELECT = sql`SELECT a.id AS id, a.plan AS plan, a.region AS region, a.industry AS industry,
       a.account_manager AS "accountManager", a.stage AS stage, a.signup_date AS "signupDate",
       s.score_hundredths AS "current", s.previous_hundredths AS "previous", s.band AS band, s.declining AS declining,
       s.first_day AS "firstDay", s.activity AS activity, s.previous_activity AS "previousActivity",
       s.as_of_day AS "asOfDay", h.start_day AS "historyStart", h.scores AS scores
  FROM account_scores s
  JOIN accounts a ON a.id = s.account_id
  LEFT JOIN score_history h ON h.account_id = s.account_id`;

/** The given account ids as a one-column subquery (`id`) of one bound parameter. */
function idList(db: Db, ids: readonly number[]): SQL {
  return jsonRows(
    db.dialect,
    [{ name: "id", type: "bigint" }],
    ids.map((id) => [id]),
  );
}

/** The blob as Int32 values: a zero-copy view when aligned on a little-endian host. */
function historyView(blob: Buffer): Int32Array {
  if (LITTLE_ENDIAN && blob.byteOffset % 4 === 0) return new Int32Array(blob.buffer, blob.byteOffset, blob.byteLength >> 2);
  return decodeHistory(blob);
}

function toRecord(row: Row, tags: readonly string[]): AccountRecord {
  return {
    id: row.id,
    plan: row.plan,
    region: row.region,
    industry: row.industry,
    accountManager: row.accountManager,
    stage: row.stage,
    signupDate: row.signupDate,
    signupDay: row.signupDate ? parseIsoDate(row.signupDate) : null,
    firstKnownDay: row.firstDay,
    currentHundredths: row.current,
    previousHundredths: row.previous,
    hasPast: row.previousActivity !== null,
    notActiveYet: row.activity === "not_active_yet",
    band: row.band,
    declining: row.declining === 1,
    tags,
    // The closed days only: the scores' day is the current score (lib/scoring/history.ts), even in a blob written before that.
    history: row.scores ? historyView(row.scores).subarray(0, closedDays(row.historyStart ?? 0, row.asOfDay)) : null,
    historyStartDay: row.historyStart ?? 0,
  };
}

function settingsKeyOf(settings: ScoringSettings): string {
  return JSON.stringify([settings.thresholds, settings.decline, settings.compareDays]);
}

/** The day the stored scores are for: a scan of account_scores, so only read when the log moved. */
async function storedAsOfDay(db: Db): Promise<number | null> {
  return (await db.value<Column<typeof schema.accountScores, "asOfDay"> | null>(sql`SELECT max(as_of_day) FROM account_scores`)) ?? null;
}

/** A tag (`id`: its account's id). */
type TagRow = Columns<typeof schema.accountTags, "tag"> & { id: Column<typeof schema.accountTags, "accountId"> };

async function tagsFor(db: Db, ids: readonly number[] | null): Promise<Map<number, string[]>> {
  const rows = await db.all<TagRow>(
    ids === null
      ? sql`SELECT account_id AS id, tag FROM account_tags ORDER BY account_id, tag`
      : sql`SELECT account_id AS id, tag FROM account_tags WHERE account_id IN (${idList(db, ids)}) ORDER BY account_id, tag`,
  );
  const out = new Map<number, string[]>();
  for (const r of rows) {
    const list = out.get(r.id);
    if (list) list.push(r.tag);
    else out.set(r.id, [r.tag]);
  }
  return out;
}

/**
 * Every scored account, a page at a time with a turn of the event loop between pages: one
 * statement for 50,000 accounts (73 MB of histories) held the event loop for about a second,
 * and with it every request. Rows from a later page may be newer than the mark, which is
 * harmless: whatever changed after the mark is read again by the next refresh.
 */
async function allRows(db: Db): Promise<Row[]> {
  const rows: Row[] = [];
  let after = -1;
  for (;;) {
    const page = await db.all<Row>(sql`${ROW_SELECT} WHERE s.account_id > ${after} ORDER BY s.account_id LIMIT ${FULL_LOAD_PAGE}`);
    for (const row of page) rows.push(row);
    const last = page.at(-1);
    if (!last || page.length < FULL_LOAD_PAGE) return rows;
    after = last.id;
    await yieldToEventLoop();
  }
}

async function fullLoad(db: Db, s: CacheState, settings: ScoringSettings, asOfDay: number, shapeKey: string, head: FollowMark): Promise<void> {
  const tags = await tagsFor(db, null);
  const rows = await allRows(db);
  // Room for accounts that arrive later, so they join without a full reload.
  const capacity = rows.length + Math.max(256, Math.ceil(rows.length * 0.02));
  const previousVersion = s.dataset?.version ?? 0;
  const previousClosedVersion = s.dataset?.closedVersion ?? 0;
  s.dataset = null; // let the old arrays go before the new ones are allocated
  const ds = createDataset({ asOfDay, days: HISTORY_DAYS, capacity, thresholds: settings.thresholds, decline: settings.decline });
  const none: readonly string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row) writeAccount(ds, toRecord(row, tags.get(row.id) ?? none));
    if (i % FULL_LOAD_PAGE === FULL_LOAD_PAGE - 1) await yieldToEventLoop();
  }
  ds.version = previousVersion + 1;
  ds.closedVersion = previousClosedVersion + 1;
  s.dataset = ds;
  s.shapeKey = shapeKey;
  s.mark = head;
  s.derived.clear();
  s.fullLoads++;
}

/**
 * Keeps the change log bounded. Never fails a read: if another process holds the write lock (a
 * long recompute), pruning waits for a later load. SQLite deletes a prefix of seqs. PostgreSQL
 * deletes every row whose transaction is older than some X (and the rows from before commit
 * order), so the rows left all have tx ≥ X: a reader whose snapshot's xmin is at least the
 * oldest tx left saw every deleted row (logIntact).
 */
async function pruneLog(db: Db, head: FollowMark): Promise<void> {
  try {
    const oldest = await db.value<Column<typeof schema.aggregateChanges, "seq"> | null>(sql`SELECT min(seq) FROM aggregate_changes`);
    if (oldest === null || oldest === undefined || head.id - oldest <= 2 * LOG_KEEP) return;
    const below = head.id - LOG_KEEP;
    if (db.dialect === "sqlite") {
      await db.run(sql`DELETE FROM aggregate_changes WHERE seq <= ${below}`);
      return;
    }
    await db.run(sql`DELETE FROM aggregate_changes WHERE tx IS NULL OR tx < least(
        pg_snapshot_xmin(pg_current_snapshot()),
        (SELECT tx FROM aggregate_changes WHERE seq <= ${below} AND tx IS NOT NULL ORDER BY seq DESC LIMIT 1))`);
  } catch (error) {
    log.error("could not prune aggregate_changes; will try again after the next full load", { component: "teams", err: error });
  }
}

interface LogBounds {
  /** The oldest row kept. */
  oldest: Column<typeof schema.aggregateChanges, "seq"> | null;
  /** The oldest row after our position. */
  next: Column<typeof schema.aggregateChanges, "seq"> | null;
}

/**
 * Whether every row logged that `mark` did not see is still there. On SQLite pruning deletes a
 * prefix, so it is when the log still holds a row at or before our position, or the row right
 * after it. On PostgreSQL it is when the oldest transaction left in the log had ended before
 * our snapshot was taken (pruneLog).
 */
async function logIntact(db: Db, mark: FollowMark): Promise<boolean> {
  if (db.dialect === "postgres" && mark.snapshot !== null) {
    const intact = await db.value<number>(
      sql`SELECT 1 WHERE (SELECT min(tx) FROM aggregate_changes WHERE tx IS NOT NULL) <= pg_snapshot_xmin(${mark.snapshot}::pg_snapshot)`,
    );
    return intact !== undefined;
  }
  const bounds = await db.get<LogBounds>(
    sql`SELECT (SELECT min(seq) FROM aggregate_changes) AS oldest, (SELECT min(seq) FROM aggregate_changes WHERE seq > ${mark.id}) AS next`,
  );
  if (!bounds || bounds.next === null) return false;
  return (bounds.oldest !== null && bounds.oldest <= mark.id) || bounds.next === mark.id + 1;
}

/** Applies the accounts changed since the last load; false when only a full reload will do. */
async function incrementalLoad(db: Db, s: CacheState, ds: TeamsDataset, head: FollowMark): Promise<boolean> {
  if (!s.mark || !(await logIntact(db, s.mark))) return false;
  const changed = await db.all<{ id: Column<typeof schema.aggregateChanges, "accountId"> }>(
    sql`SELECT DISTINCT account_id AS id FROM aggregate_changes WHERE ${unseenBy(db.dialect, "aggregate_changes", s.mark)} LIMIT ${INCREMENTAL_LIMIT + 1}`,
  );
  if (changed.length > INCREMENTAL_LIMIT) return false;
  const ids = changed.map((r) => r.id);
  const rows = await db.all<Row>(sql`${ROW_SELECT} WHERE s.account_id IN (${idList(db, ids)}) ORDER BY s.account_id`);
  // An account that lost its score (or was deleted) leaves a hole: rebuild instead.
  if (rows.length !== ids.length && ids.some((id) => ds.indexById.has(id) && !rows.some((r) => r.id === id))) return false;
  const newAccounts = rows.filter((r) => !ds.indexById.has(r.id)).length;
  if (ds.count + newAccounts > ds.ids.length) return false;
  const tags = await tagsFor(db, ids);
  let closedChanged = false;
  for (const row of rows) if (writeAccount(ds, toRecord(row, tags.get(row.id) ?? []))) closedChanged = true;
  ds.version++;
  if (closedChanged) ds.closedVersion++;
  s.mark = head;
  forgetOutdated(s, ds);
  s.incrementalLoads++;
  return true;
}

/** Brings the dataset up to what the log holds now. */
async function refresh(db: Db, s: CacheState): Promise<TeamsDataset | null> {
  const settings = await loadScoringSettings(db);
  const settingsKey = settingsKeyOf(settings);
  // Fast path: nothing logged since the last load and the same settings (two index lookups).
  if (s.mark && s.shapeKey.startsWith(`${settingsKey}|`) && !(await hasUnseen(db, "aggregate_changes", s.mark))) return s.dataset;
  // Marked before anything is read: rows committed meanwhile are read again next time.
  const head = await markOf(db, "aggregate_changes");
  const asOfDay = await storedAsOfDay(db);
  const key = `${settingsKey}|${asOfDay}`;
  if (asOfDay === null) {
    s.dataset = null;
    s.shapeKey = key;
    s.mark = head;
    s.derived.clear();
    return null;
  }
  const ds = s.dataset;
  if (!ds || key !== s.shapeKey || !(await incrementalLoad(db, s, ds, head))) {
    await fullLoad(db, s, settings, asOfDay, key, head);
    await pruneLog(db, head);
  }
  return s.dataset;
}

/**
 * The current dataset (reloading what changed), or null when nothing has been scored yet.
 * Refreshes run one at a time per database; a failed one fails its caller only.
 */
export async function getTeamsDataset(db: Db): Promise<TeamsDataset | null> {
  const s = state(db);
  const next = s.refreshing.then(() => refresh(db, s));
  s.refreshing = next.catch(() => undefined);
  return next;
}

/** Derived results are keyed `v<version>|…` (memoize) or `c<closedVersion>|…` (memoizeClosed). */
function closedPrefix(ds: TeamsDataset): string {
  return `c${ds.closedVersion}|`;
}

/** After an incremental load: only the results of the closed days still hold, if those did not change. */
function forgetOutdated(s: CacheState, ds: TeamsDataset): void {
  const keep = closedPrefix(ds);
  for (const key of s.derived.keys()) if (!key.startsWith(keep)) s.derived.delete(key);
}

/**
 * A result derived from the current dataset, computed once per dataset version and key.
 * `compute` must be pure in the dataset and return something never mutated afterwards.
 */
export function memoize<T>(db: Db, ds: TeamsDataset, key: string, compute: () => T): T {
  return memoizeAs(db, `v${ds.version}|${key}`, compute);
}

/**
 * memoize for a result that depends only on what TeamsDataset.closedVersion follows (who is in
 * which segment, and the closed days of the histories), never on today's figures: it then
 * survives the incremental loads that ingestion causes all day, so a request after an event
 * recomputes only today's part (lib/teams/aggregate.ts withToday) instead of a whole year.
 */
export function memoizeClosed<T>(db: Db, ds: TeamsDataset, key: string, compute: () => T): T {
  return memoizeAs(db, `${closedPrefix(ds)}${key}`, compute);
}

function memoizeAs<T>(db: Db, fullKey: string, compute: () => T): T {
  const s = state(db);
  const hit = s.derived.get(fullKey);
  if (hit !== undefined) {
    // Refresh its place in the LRU order.
    s.derived.delete(fullKey);
    s.derived.set(fullKey, hit);
    return hit as T;
  }
  const value = compute();
  s.derived.set(fullKey, value);
  if (s.derived.size > MAX_DERIVED_ENTRIES) {
    const oldest = s.derived.keys().next();
    if (!oldest.done) s.derived.delete(oldest.value);
  }
  return value;
}

/** A memoised result if there is one, without computing it. */
export function peek<T>(db: Db, ds: TeamsDataset, key: string): T | undefined {
  return state(db).derived.get(`v${ds.version}|${key}`) as T | undefined;
}

/** Counters for tests and the benchmark. */
export function teamsCacheStats(db: Db): { fullLoads: number; incrementalLoads: number; version: number | null; closedVersion: number | null; derivedEntries: number } {
  const s = state(db);
  return {
    fullLoads: s.fullLoads,
    incrementalLoads: s.incrementalLoads,
    version: s.dataset?.version ?? null,
    closedVersion: s.dataset?.closedVersion ?? null,
    derivedEntries: s.derived.size,
  };
}

export const PRE_AGGREGATION_NOTE =
  "In-process pre-aggregation: every scored account's attributes, tags, current score and decoded 365-day history in flat typed arrays, kept current by the aggregate_changes log (only changed accounts reload, up to what every server has committed); per-segment results memoised per data version.";
