import "server-only";
import { log } from "@/lib/log";
import os from "node:os";
import type { Database } from "@/db";
import { parseIsoDate } from "@/lib/days";
import { isBand } from "@/lib/scoring/bands";
import { closedDays, decodeHistory } from "@/lib/scoring/history";
import { createDataset, writeAccount, type AccountRecord, type TeamsDataset } from "@/lib/teams/dataset";
import { HISTORY_DAYS } from "../recompute";
import { getScoringSettings } from "../settings";

/**
 * The in-process pre-aggregation behind segments, trends and before/after (docs/adr/0004-team-views-in-memory-pre-aggregation.md):
 *
 * 1. A TeamsDataset holds every scored account's attributes, tags, current score and decoded
 *    daily history in flat typed arrays (≈ 1.5 kB per account: 73 MB at 50,000 accounts).
 * 2. It is kept current by the `aggregate_changes` log that triggers append to whenever an
 *    account, its tags, its score or its history change (from any process). Each request
 *    reads max(seq) — one index lookup — and reloads only the accounts changed since; a
 *    change of day, of the scoring settings or of most accounts reloads everything.
 * 3. Results derived from the dataset (per-segment summaries, daily series, medians,
 *    before/after groups) are memoised by dataset version, so warm requests only slice and
 *    serialise them.
 */

interface CacheState {
  dataset: TeamsDataset | null;
  /** The asOfDay + settings the dataset was built for; a change means a full reload. */
  shapeKey: string;
  lastSeq: number;
  derived: Map<string, unknown>;
  fullLoads: number;
  incrementalLoads: number;
}

/**
 * On globalThis, like the database handle itself: Next bundles instrumentation (which warms
 * the cache) and the routes separately, and each bundle would otherwise get its own copy.
 */
const globalForCache = globalThis as unknown as { cesTeamsCaches?: WeakMap<Database, CacheState> };
const caches = (globalForCache.cesTeamsCaches ??= new WeakMap<Database, CacheState>());
const MAX_DERIVED_ENTRIES = 256;
/** Above this many changed accounts a full reload is cheaper than one by one. */
const INCREMENTAL_LIMIT = 2_000;
/** The log is pruned to this many rows once it grows past twice as many. */
const LOG_KEEP = 100_000;
const LITTLE_ENDIAN = os.endianness() === "LE";

function state(db: Database): CacheState {
  let s = caches.get(db);
  if (!s) {
    s = { dataset: null, shapeKey: "", lastSeq: -1, derived: new Map(), fullLoads: 0, incrementalLoads: 0 };
    caches.set(db, s);
  }
  return s;
}

interface Row {
  id: number;
  plan: string | null;
  region: string | null;
  industry: string | null;
  accountManager: string | null;
  stage: string;
  signupDate: string | null;
  current: number;
  previous: number;
  firstDay: number | null;
  activity: string;
  previousActivity: string | null;
  band: string;
  declining: number;
  asOfDay: number;
  historyStart: number | null;
  scores: Buffer | null;
}

const ROW_SELECT = `SELECT a.id AS id, a.plan AS plan, a.region AS region, a.industry AS industry,
       a.account_manager AS accountManager, a.stage AS stage, a.signup_date AS signupDate,
       s.score_hundredths AS current, s.previous_hundredths AS previous, s.band AS band, s.declining AS declining,
       s.first_day AS firstDay, s.activity AS activity, s.previous_activity AS previousActivity,
       s.as_of_day AS asOfDay, h.start_day AS historyStart, h.scores AS scores
  FROM account_scores s
  JOIN accounts a ON a.id = s.account_id
  LEFT JOIN score_history h ON h.account_id = s.account_id`;

/** The blob as Int32 values: a zero-copy view when aligned on a little-endian host. */
function historyView(blob: Buffer): Int32Array {
  if (LITTLE_ENDIAN && blob.byteOffset % 4 === 0) return new Int32Array(blob.buffer, blob.byteOffset, blob.byteLength >> 2);
  return decodeHistory(blob);
}

function toRecord(row: Row, tags: readonly string[]): AccountRecord {
  if (!isBand(row.band)) throw new Error(`Unknown band "${row.band}" stored for account ${row.id}`);
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

function settingsKeyOf(db: Database): string {
  const s = getScoringSettings(db);
  return JSON.stringify([s.thresholds, s.decline, s.compareDays]);
}

/** The day the stored scores are for: a scan of account_scores, so only read when the log moved. */
function storedAsOfDay(db: Database): number | null {
  return db.sqlite.prepare("SELECT max(as_of_day) FROM account_scores").pluck().get() as number | null;
}

function tagsFor(db: Database, ids: readonly number[] | null): Map<number, string[]> {
  const rows = (
    ids === null
      ? db.sqlite.prepare("SELECT account_id AS id, tag FROM account_tags ORDER BY account_id, tag").all()
      : db.sqlite
          .prepare("SELECT account_id AS id, tag FROM account_tags WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id, tag")
          .all(JSON.stringify(ids))
  ) as { id: number; tag: string }[];
  const out = new Map<number, string[]>();
  for (const r of rows) {
    const list = out.get(r.id);
    if (list) list.push(r.tag);
    else out.set(r.id, [r.tag]);
  }
  return out;
}

function fullLoad(db: Database, s: CacheState, asOfDay: number, shapeKey: string, head: number): void {
  const settings = getScoringSettings(db);
  const count = db.sqlite.prepare("SELECT count(*) FROM account_scores").pluck().get() as number;
  // Room for accounts that arrive later, so they join without a full reload.
  const capacity = count + Math.max(256, Math.ceil(count * 0.02));
  const previousVersion = s.dataset?.version ?? 0;
  s.dataset = null; // let the old arrays go before the new ones are allocated
  const ds = createDataset({ asOfDay, days: HISTORY_DAYS, capacity, thresholds: settings.thresholds, decline: settings.decline });
  const tags = tagsFor(db, null);
  const none: readonly string[] = [];
  for (const row of db.sqlite.prepare(`${ROW_SELECT} ORDER BY s.account_id`).iterate() as IterableIterator<Row>) {
    writeAccount(ds, toRecord(row, tags.get(row.id) ?? none));
  }
  ds.version = previousVersion + 1;
  s.dataset = ds;
  s.shapeKey = shapeKey;
  s.lastSeq = head;
  s.derived.clear();
  s.fullLoads++;
}

/**
 * Keeps the change log bounded. Runs outside the read transaction and never fails a read: if
 * another process holds the write lock (a long recompute), pruning waits for a later load.
 */
function pruneLog(db: Database, head: number): void {
  try {
    const oldest = db.sqlite.prepare("SELECT min(seq) FROM aggregate_changes").pluck().get() as number | null;
    if (oldest !== null && head - oldest > 2 * LOG_KEEP) {
      db.sqlite.prepare("DELETE FROM aggregate_changes WHERE seq <= ?").run(head - LOG_KEEP);
    }
  } catch (error) {
    log.error("could not prune aggregate_changes; will try again after the next full load", { component: "teams", err: error });
  }
}

/** Applies the accounts changed since lastSeq; false when only a full reload will do. */
function incrementalLoad(db: Database, s: CacheState, ds: TeamsDataset, head: number): boolean {
  const oldest = db.sqlite.prepare("SELECT min(seq) FROM aggregate_changes WHERE seq > ?").pluck().get(s.lastSeq) as number | null;
  // Rows between our position and the oldest kept one were pruned: we cannot know what changed.
  if (oldest === null || oldest > s.lastSeq + 1) return false;
  const ids = db.sqlite
    .prepare("SELECT DISTINCT account_id FROM aggregate_changes WHERE seq > ? AND seq <= ? LIMIT ?")
    .pluck()
    .all(s.lastSeq, head, INCREMENTAL_LIMIT + 1) as number[];
  if (ids.length > INCREMENTAL_LIMIT) return false;
  const rows = db.sqlite
    .prepare(`${ROW_SELECT} WHERE s.account_id IN (SELECT value FROM json_each(?)) ORDER BY s.account_id`)
    .all(JSON.stringify(ids)) as Row[];
  // An account that lost its score (or was deleted) leaves a hole: rebuild instead.
  if (rows.length !== ids.length && ids.some((id) => ds.indexById.has(id) && !rows.some((r) => r.id === id))) return false;
  const newAccounts = rows.filter((r) => !ds.indexById.has(r.id)).length;
  if (ds.count + newAccounts > ds.ids.length) return false;
  const tags = tagsFor(db, ids);
  for (const row of rows) writeAccount(ds, toRecord(row, tags.get(row.id) ?? []));
  ds.version++;
  s.lastSeq = head;
  s.derived.clear();
  s.incrementalLoads++;
  return true;
}

/**
 * The current dataset (reloading what changed), or null when nothing has been scored yet.
 * Reads run in one transaction, so a reload sees one consistent snapshot.
 */
export function getTeamsDataset(db: Database): TeamsDataset | null {
  const s = state(db);
  const fullLoadsBefore = s.fullLoads;
  const dataset = db.sqlite.transaction((): TeamsDataset | null => {
    const head = db.sqlite.prepare("SELECT coalesce(max(seq), 0) FROM aggregate_changes").pluck().get() as number;
    const settingsKey = settingsKeyOf(db);
    // Fast path: nothing logged since the last load and the same settings (two index lookups).
    if (head === s.lastSeq && s.shapeKey.startsWith(`${settingsKey}|`)) return s.dataset;
    const asOfDay = storedAsOfDay(db);
    const key = `${settingsKey}|${asOfDay}`;
    if (asOfDay === null) {
      s.dataset = null;
      s.shapeKey = key;
      s.lastSeq = head;
      s.derived.clear();
      return null;
    }
    const ds = s.dataset;
    if (!ds || key !== s.shapeKey || !incrementalLoad(db, s, ds, head)) fullLoad(db, s, asOfDay, key, head);
    return s.dataset;
  })();
  if (s.fullLoads !== fullLoadsBefore) pruneLog(db, s.lastSeq);
  return dataset;
}

/**
 * A result derived from the current dataset, computed once per dataset version and key.
 * `compute` must be pure in the dataset and return something never mutated afterwards.
 */
export function memoize<T>(db: Database, ds: TeamsDataset, key: string, compute: () => T): T {
  const s = state(db);
  const fullKey = `${ds.version}|${key}`;
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
export function peek<T>(db: Database, ds: TeamsDataset, key: string): T | undefined {
  return state(db).derived.get(`${ds.version}|${key}`) as T | undefined;
}

/** Counters for tests and the benchmark. */
export function teamsCacheStats(db: Database): { fullLoads: number; incrementalLoads: number; version: number | null; derivedEntries: number } {
  const s = state(db);
  return { fullLoads: s.fullLoads, incrementalLoads: s.incrementalLoads, version: s.dataset?.version ?? null, derivedEntries: s.derived.size };
}

export const PRE_AGGREGATION_NOTE =
  "In-process pre-aggregation: every scored account's attributes, tags, current score and decoded 365-day history in flat typed arrays, kept current by an aggregate_changes log written by triggers (only changed accounts reload); per-segment results memoised per data version.";
