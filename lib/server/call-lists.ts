import "server-only";
import type { Database } from "@/db";
import type { CallListId } from "../call-lists/lists";
import type { OrderKey, OrderTerm } from "../call-lists/ordering";
import type { CallListFilterQuery, CallListQuery } from "../call-lists/query";
import {
  renewalWindow,
  resolveFilterParams,
  resolvePageParams,
  type CallListFilterParams,
  type CallListPageParams,
  type CallListParams,
} from "../call-lists/resolve";
import { isoDateFromDay, type DayNumber } from "../days";
import { isBand } from "../scoring/bands";
import { CHURNED_STAGE, isActivity } from "../scoring/standing";
import { cachedStatement, memoUntilWrite } from "./query-cache";
import type { ContactOutcome } from "../worklist/outcomes";
import type { CallListCounts, CallListFacets, CallListPageData, CallListResult, CallListRow } from "../call-lists/types";

/**
 * The call lists, filtered, sorted and paged by SQLite over the materialised scores
 * (account_scores) joined to accounts: a page never reads more than it shows, and no request
 * aggregates events. Every value that reaches SQL is a bound parameter; ORDER BY is built
 * only from the fixed expressions below.
 */

/**
 * A WHERE condition, and whether it needs the accounts table. Conditions on the scores alone
 * are answered from account_scores (and its (band, score) index) without touching accounts:
 * at 50,000 accounts, joining every row of a tier costs more than the rest of the query.
 */
interface Condition {
  sql: string;
  accounts: boolean;
  /** A user's filter on accounts (manager, plan, search…): worth reading accounts first. */
  narrows?: boolean;
  /** Matches most accounts: checked row by row, never a reason to read accounts first. */
  broad?: boolean;
  /** An equality on an indexed accounts column: how many accounts it matches can be estimated. */
  equals?: { column: EstimatedColumn; value: string };
}

/** The accounts columns with an index of their own, and that index. */
const COLUMN_INDEX = {
  account_manager: "accounts_manager_idx",
  plan: "accounts_plan_idx",
  region: "accounts_region_idx",
  industry: "accounts_industry_idx",
  stage: "accounts_stage_idx",
} as const;
type EstimatedColumn = keyof typeof COLUMN_INDEX;

/** Accounts not active yet are onboarding work (lib/scoring/standing.ts), on no tier list. */
const ACTIVE_OR_SILENT: Condition = { sql: "s.activity <> 'not_active_yet'", accounts: false };

const LIST_CONDITIONS: Record<CallListId, (renewalsOnly: boolean) => Condition[]> = {
  high: () => [{ sql: "s.band IN ('high', 'power')", accounts: false }, ACTIVE_OR_SILENT],
  medium: (renewalsOnly) => [
    { sql: "s.band = 'medium'", accounts: false },
    ACTIVE_OR_SILENT,
    ...(renewalsOnly ? [{ sql: "a.renewal_date BETWEEN @renewalFrom AND @renewalTo", accounts: true }] : []),
  ],
  low: () => [{ sql: "s.band IN ('low', 'churn_risk')", accounts: false }, ACTIVE_OR_SILENT],
  drops: () => [{ sql: "s.declining = 1", accounts: false }],
  trials: () => [{ sql: "a.stage = 'trial'", accounts: true, equals: { column: "stage", value: "trial" } }],
  onboarding: () => [{ sql: "s.activity = 'not_active_yet'", accounts: false }],
  upsell: () => [
    { sql: "s.band IN ('high', 'power')", accounts: false },
    ACTIVE_OR_SILENT,
    // Most accounts are customers: the unary + keeps SQLite from walking the stage index.
    { sql: "+a.stage = 'customer'", accounts: true, broad: true },
  ],
};

const SNOOZED = "EXISTS (SELECT 1 FROM account_snoozes z WHERE z.account_id = s.account_id AND z.until > @todayIso)";
const LAST_CONTACT_AT = "(SELECT max(c.contacted_at) FROM account_contacts c WHERE c.account_id = s.account_id)";

/** Each order key as SQL; `nullsLast` keys sort missing values last in both directions. */
const ORDER_SQL: Record<OrderKey, { expr: string; accounts: boolean; nullsLast?: boolean }> = {
  name: { expr: "a.name COLLATE NOCASE", accounts: true },
  id: { expr: "s.account_id", accounts: false },
  score: { expr: "s.score_hundredths", accounts: false },
  // A new account has no change (no previous score): last, whichever way the column is sorted.
  change: { expr: "(CASE WHEN s.previous_activity IS NOT NULL THEN s.score_hundredths - s.previous_hundredths END)", accounts: false, nullsLast: true },
  drop: { expr: "(s.previous_hundredths - s.score_hundredths)", accounts: false },
  firstDay: { expr: "s.first_day", accounts: false, nullsLast: true },
  renewal: { expr: "a.renewal_date", accounts: true, nullsLast: true },
  trialEnd: { expr: "a.trial_end_date", accounts: true, nullsLast: true },
  arr: { expr: "a.arr", accounts: true, nullsLast: true },
  manager: { expr: "a.account_manager COLLATE NOCASE", accounts: true, nullsLast: true },
  // NULL (never contacted) sorts as the oldest contact: first ascending, last descending.
  lastContact: { expr: LAST_CONTACT_AT, accounts: false },
  renewalSoonFirst: { expr: "COALESCE(a.renewal_date BETWEEN @renewalFrom AND @renewalTo, 0)", accounts: true },
};

/**
 * ORDER BY for a plan. Written so that, where the plan walks an index in list order, SQLite
 * sees the index order and stops after the page instead of sorting the whole list: the id
 * is named on the table that leads, and the renewal date needs no "missing last" term when
 * the list only holds renewals inside the window.
 */
function orderBy(order: readonly OrderTerm[], plan: Plan): string {
  const parts: string[] = [];
  for (const term of order) {
    const { expr, nullsLast } = term.key === "id" && plan.accountsFirst ? { expr: "a.id", nullsLast: false } : ORDER_SQL[term.key];
    if (nullsLast && !(term.key === "renewal" && plan.renewalsBounded)) parts.push(`${expr} IS NULL`);
    parts.push(`${expr} ${term.dir === "desc" ? "DESC" : "ASC"}`);
  }
  return parts.join(", ");
}

/** LIKE pattern for "contains", with LIKE's wildcards in the user's text taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type Bindings = Record<string, string | number>;

/** The shared filters (manager, plan, …) as conditions on the accounts table. */
function filterConditions(params: CallListFilterParams): { conditions: Condition[]; bindings: Bindings } {
  const window = renewalWindow(params.today);
  const conditions: Condition[] = [];
  const bindings: Bindings = { renewalFrom: window.from, renewalTo: window.to, todayIso: isoDateFromDay(params.today) };
  const equals = (column: EstimatedColumn, name: string, value: string | null) => {
    if (value === null) return;
    conditions.push({ sql: `a.${column} = @${name}`, accounts: true, narrows: true, equals: { column, value } });
    bindings[name] = value;
  };
  equals("account_manager", "manager", params.managerName);
  equals("plan", "plan", params.plan);
  equals("region", "region", params.region);
  equals("industry", "industry", params.industry);
  equals("stage", "stage", params.stage);
  // Churned accounts are no longer customers: no list works them unless the stage filter asks
  // for them (their silence is not churn risk to intervene on). Most accounts are not churned:
  // checked row by row, never a reason to read accounts first.
  if (params.stage === null) conditions.push({ sql: `+a.stage <> '${CHURNED_STAGE}'`, accounts: true, broad: true });
  if (params.search !== "") {
    conditions.push({ sql: "a.name LIKE @search ESCAPE '\\'", accounts: true, narrows: true });
    bindings.search = containsPattern(params.search);
  }
  return { conditions, bindings };
}

function listConditions(params: CallListParams): { conditions: Condition[]; bindings: Bindings } {
  const { conditions, bindings } = filterConditions(params);
  conditions.unshift(...LIST_CONDITIONS[params.list](params.renewalsOnly));
  if (params.band !== null) {
    conditions.push({ sql: "s.band = @band", accounts: false });
    bindings.band = params.band;
  }
  if (!params.includeSnoozed) conditions.push({ sql: `NOT ${SNOOZED}`, accounts: false });
  return { conditions, bindings };
}

interface Plan {
  from: string;
  /** Accounts are the outer loop (their id names the tie-break). */
  accountsFirst: boolean;
  /** Every row has a renewal date inside the window. */
  renewalsBounded: boolean;
}

const ACCOUNTS_FIRST = (access: string) => `FROM accounts a ${access} CROSS JOIN account_scores s ON s.account_id = a.id`;
const SCORE_WALK = "FROM account_scores s INDEXED BY account_scores_score_idx";

/**
 * How many accounts match each value of the indexed columns, to choose a plan. Only an
 * estimate steers the choice (never the result), so it is refreshed at most once a minute
 * rather than after every write: ingestion writes all the time.
 */
interface AccountShares {
  total: number;
  counts: Map<EstimatedColumn, Map<string, number>>;
  at: number;
}

const SHARES_TTL_MS = 60_000;
const shareCache = new WeakMap<Database, AccountShares>();

function accountShares(db: Database): AccountShares {
  const cached = shareCache.get(db);
  if (cached && Date.now() - cached.at < SHARES_TTL_MS) return cached;
  const counts = new Map<EstimatedColumn, Map<string, number>>();
  for (const column of Object.keys(COLUMN_INDEX) as EstimatedColumn[]) {
    const rows = cachedStatement(db, `SELECT ${column}, count(*) FROM accounts INDEXED BY ${COLUMN_INDEX[column]} GROUP BY ${column}`).raw().all() as [string | null, number][];
    counts.set(column, new Map(rows.filter((r): r is [string, number] => r[0] !== null)));
  }
  const total = cachedStatement(db, "SELECT count(*) FROM accounts", { pluck: true }).get() as number;
  const shares = { total, counts, at: Date.now() };
  shareCache.set(db, shares);
  return shares;
}

/**
 * A row reached by walking the score index costs about this many rows read in id order
 * (an index of accounts leads to rows in id order; the score order jumps between pages).
 */
const WALK_ROW_COST = 8;
/** A name search matches few accounts, as far as a plan needs to know. */
const SEARCH_SHARE = 0.02;
/** A condition without an estimate (a renewal window, the stage of upsell) is taken to keep this share. */
const UNKNOWN_SHARE = 0.5;

function shareOf(condition: Condition, shares: AccountShares): number {
  if (condition.equals) {
    const n = shares.counts.get(condition.equals.column)?.get(condition.equals.value) ?? 0;
    return shares.total === 0 ? 0 : n / shares.total;
  }
  if (condition.broad) return 1;
  return condition.narrows ? SEARCH_SHARE : UNKNOWN_SHARE;
}

/**
 * Which table to read first, and through which index. SQLite's planner has no statistics to
 * choose well (nothing runs ANALYZE), so the choice is made here; CROSS JOIN fixes the loop
 * order and INDEXED BY the index.
 * - A list in score order (80–100, 1–40, upsell, trials, or sorted by score) can walk the
 *   score index from the top or the bottom and stop after the page. Under a filter on
 *   accounts it does so when the accounts the filter matches are common enough that the walk
 *   reaches the page sooner than reading them all would: a region or a plan, usually; a
 *   name search or a small book, rarely.
 * - Otherwise a filter on accounts reads the matching accounts first, through the index of
 *   its most selective equality (a manager's book, a plan, a region…), and looks their scores
 *   up; a name search alone scans the names' index (rows are read only for the names that match).
 * - The 40–80 renewals in renewal order: walk the renewal-date index from today.
 * - Otherwise the scores' (band, score) index leads, and accounts are joined only when a
 *   condition or the order needs them.
 * Counts (no order, no page) use the second and the last rule.
 */
function planFor(db: Database, conditions: readonly Condition[], order: readonly OrderTerm[], renewalsOnly: boolean, rowsWanted: number): Plan {
  const renewalsBounded = renewalsOnly;
  const first = order[0]?.key;
  const onAccounts = conditions.filter((c) => c.accounts && !c.broad);
  const needsAccounts = conditions.some((c) => c.accounts) || order.some((t) => ORDER_SQL[t.key].accounts);
  const walk = (): Plan => ({ from: needsAccounts ? `${SCORE_WALK} CROSS JOIN accounts a ON a.id = s.account_id` : SCORE_WALK, accountsFirst: false, renewalsBounded });

  if (first === "score" && onAccounts.length === 0) return walk();
  if (onAccounts.length > 0) {
    const shares = accountShares(db);
    const share = onAccounts.reduce((p, c) => p * shareOf(c, shares), 1);
    const leading = onAccounts
      .filter((c) => c.equals)
      .sort((a, b) => shareOf(a, shares) - shareOf(b, shares))[0];
    const leadingRows = (leading ? shareOf(leading, shares) : 1) * shares.total;
    // Walking finds the page after about rowsWanted / share rows; reading accounts first reads
    // leadingRows (and sorts them). A name search may match a single account: never walked.
    const searching = onAccounts.some((c) => c.narrows && !c.equals);
    if (first === "score" && !searching && share > 0 && (rowsWanted / share) * WALK_ROW_COST < leadingRows) return walk();
    if (conditions.some((c) => c.narrows) || leading) {
      const access = leading?.equals ? `INDEXED BY ${COLUMN_INDEX[leading.equals.column]}` : "INDEXED BY accounts_name_idx";
      return { from: ACCOUNTS_FIRST(access), accountsFirst: true, renewalsBounded };
    }
  }
  if (renewalsOnly && first === "renewal") {
    return { from: ACCOUNTS_FIRST("INDEXED BY accounts_renewal_idx"), accountsFirst: true, renewalsBounded };
  }
  return {
    from: needsAccounts ? "FROM account_scores s JOIN accounts a ON a.id = s.account_id" : "FROM account_scores s",
    accountsFirst: false,
    renewalsBounded,
  };
}

function whereClause(conditions: readonly Condition[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.map((c) => c.sql).join(" AND ")}` : "";
}

/** The ids of one page, in list order: only the columns the filters and the order need are read. */
function pageIds(db: Database, params: CallListParams, limit: number, offset: number): number[] {
  const { conditions, bindings } = listConditions(params);
  const plan = planFor(db, conditions, params.order, params.renewalsOnly, offset + limit);
  const sql = `SELECT s.account_id ${plan.from} ${whereClause(conditions)} ORDER BY ${orderBy(params.order, plan)} LIMIT @limit OFFSET @offset`;
  return cachedStatement(db, sql, { pluck: true }).all({ ...bindings, limit, offset }) as number[];
}

/** How many accounts the whole list holds; paging and sorting reuse it until data changes. */
function countList(db: Database, params: CallListParams): number {
  const { conditions, bindings } = listConditions(params);
  const sql = `SELECT count(*) ${planFor(db, conditions, [], params.renewalsOnly, Number.POSITIVE_INFINITY).from} ${whereClause(conditions)}`;
  return memoUntilWrite(db, `list-total\u0000${sql}\u0000${JSON.stringify(bindings)}`, () => cachedStatement(db, sql, { pluck: true }).get(bindings) as number);
}

/** A row as SQLite returns it: the stored strings, the 0/1 flag, the first day and the last contact's columns. */
type RawRow = Omit<CallListRow, "band" | "previousBand" | "activity" | "previousActivity" | "previousHundredths" | "firstDate" | "declining" | "lastContact"> & {
  band: string;
  previousBand: string;
  activity: string;
  previousActivity: string | null;
  previousHundredths: number;
  firstDay: number | null;
  declining: number;
  contactAt: number | null;
  contactOutcome: ContactOutcome | null;
  contactBy: string | null;
};

/** The full rows of the given accounts, in the given order, with last contact and snooze. */
function rowsFor(db: Database, ids: readonly number[], today: number): CallListRow[] {
  if (ids.length === 0) return [];
  const raw = cachedStatement(
    db,
    `SELECT a.id AS id, a.external_id AS externalId, a.name AS name, a.plan AS plan, a.region AS region,
              a.industry AS industry, a.stage AS stage, a.account_manager AS accountManager, a.renewal_date AS renewalDate,
              a.trial_end_date AS trialEndDate, a.arr AS arr, s.score_hundredths AS scoreHundredths,
              s.previous_hundredths AS previousHundredths, s.band AS band, s.previous_band AS previousBand,
              s.activity AS activity, s.previous_activity AS previousActivity, s.first_day AS firstDay,
              s.declining AS declining, z.until AS snoozedUntil,
              c.contacted_at AS contactAt, c.outcome AS contactOutcome, c.user_name AS contactBy
         FROM json_each(@ids) AS j
         JOIN accounts a ON a.id = j.value
         JOIN account_scores s ON s.account_id = a.id
         LEFT JOIN account_snoozes z ON z.account_id = a.id AND z.until > @todayIso
         LEFT JOIN account_contacts c ON c.id = (
           SELECT c2.id FROM account_contacts c2 WHERE c2.account_id = a.id ORDER BY c2.contacted_at DESC, c2.id DESC LIMIT 1)
        ORDER BY j.key`,
  ).all({ ids: JSON.stringify(ids), todayIso: isoDateFromDay(today) }) as RawRow[];
  return raw.map(toRow);
}

function toRow(raw: RawRow): CallListRow {
  const { snoozedUntil, contactAt, contactOutcome, contactBy, firstDay, ...rest } = raw;
  if (!isBand(rest.band) || !isBand(rest.previousBand)) throw new Error(`Unknown band stored for account ${rest.id}`);
  if (!isActivity(rest.activity) || (rest.previousActivity !== null && !isActivity(rest.previousActivity))) {
    throw new Error(`Unknown activity stored for account ${rest.id}`);
  }
  // A new account has no previous score: its stored comparison-window sum is not one.
  const hasPast = rest.previousActivity !== null;
  return {
    ...rest,
    band: rest.band,
    activity: rest.activity,
    previousHundredths: hasPast ? rest.previousHundredths : null,
    previousBand: hasPast ? rest.previousBand : null,
    previousActivity: rest.previousActivity,
    firstDate: firstDay === null ? null : isoDateFromDay(firstDay),
    declining: rest.declining === 1,
    lastContact: contactAt !== null && contactOutcome !== null ? { at: contactAt, outcome: contactOutcome, by: contactBy ?? "" } : null,
    snoozedUntil,
  };
}

/** One page of a call list, and how many accounts the whole list holds. */
export function listCallListPage(db: Database, params: CallListPageParams): CallListResult {
  const ids = pageIds(db, params, params.limit, params.offset);
  return { rows: rowsFor(db, ids, params.today), total: countList(db, params) };
}

/**
 * Every account of a call list in list order (for CSV export), read in pages so memory stays
 * flat however long the list is.
 */
export interface IterateCallListParams extends CallListParams {
  /** Rows read per query (default 1,000). */
  batchSize?: number;
}

export function* iterateCallList(db: Database, params: IterateCallListParams): Generator<CallListRow> {
  const pageSize = params.batchSize ?? 1000;
  for (let offset = 0; ; offset += pageSize) {
    const ids = pageIds(db, params, pageSize, offset);
    yield* rowsFor(db, ids, params.today);
    if (ids.length < pageSize) return;
  }
}

// The same conditions as LIST_CONDITIONS: `tiered` is an account on a tier list (not onboarding).
const COUNT_COLUMNS = `
  coalesce(sum(tiered AND band IN ('high', 'power')), 0) AS high,
  coalesce(sum(tiered AND band = 'power'), 0) AS power,
  coalesce(sum(tiered AND band = 'medium'), 0) AS medium,
  coalesce(sum(tiered AND band = 'medium' AND renewalDate BETWEEN @renewalFrom AND @renewalTo), 0) AS mediumRenewals,
  coalesce(sum(tiered AND band IN ('low', 'churn_risk')), 0) AS low,
  coalesce(sum(tiered AND band = 'churn_risk'), 0) AS churnRisk,
  coalesce(sum(tiered AND band = 'churn_risk' AND activity = 'silent'), 0) AS silent,
  coalesce(sum(declining = 1), 0) AS drops,
  coalesce(sum(stage = 'trial'), 0) AS trials,
  coalesce(sum(NOT tiered), 0) AS onboarding,
  coalesce(sum(tiered AND band IN ('high', 'power') AND stage = 'customer'), 0) AS upsell,
  count(*) AS total`;

const COUNT_SOURCE =
  "SELECT s.band AS band, s.activity AS activity, s.activity <> 'not_active_yet' AS tiered, s.declining AS declining, a.stage AS stage, a.renewal_date AS renewalDate";

type ListCounts = Omit<CallListCounts, "snoozed">;

function subtractCounts(all: ListCounts, some: ListCounts): ListCounts {
  const out = { ...all };
  for (const key of Object.keys(out) as (keyof ListCounts)[]) out[key] -= some[key];
  return out;
}

/**
 * The size of every list under the shared filters, in one pass over the accounts they match
 * (memoised until the next write). The snoozed accounts (few) are counted on their own and
 * taken off, so the main pass needs no per-account snooze lookup.
 */
export function countCallLists(db: Database, params: CallListFilterParams): CallListCounts {
  return memoUntilWrite(db, `list-counts\u0000${JSON.stringify(params)}`, () => computeCounts(db, params));
}

function computeCounts(db: Database, params: CallListFilterParams): CallListCounts {
  const { conditions, bindings } = filterConditions(params);
  const { sqlite } = db;
  const where = whereClause(conditions);
  const snoozedWhere = `WHERE z.until > @todayIso${conditions.length > 0 ? ` AND ${conditions.map((c) => c.sql).join(" AND ")}` : ""}`;
  const snoozed = sqlite
    .prepare(
      `SELECT ${COUNT_COLUMNS} FROM (${COUNT_SOURCE}
         FROM account_snoozes z CROSS JOIN accounts a ON a.id = z.account_id CROSS JOIN account_scores s ON s.account_id = z.account_id
         ${snoozedWhere})`,
    )
    .get(bindings) as ListCounts;

  // Every list leaves churned accounts out unless the stage filter asks for them: there is always a condition.
  const all = sqlite.prepare(`SELECT ${COUNT_COLUMNS} FROM (${COUNT_SOURCE} ${planFor(db, conditions, [], false, Number.POSITIVE_INFINITY).from} ${where})`).get(bindings) as ListCounts;
  const visible = params.includeSnoozed ? all : subtractCounts(all, snoozed);
  return { ...visible, snoozed: snoozed.total };
}

/** The values the list filters offer, from the accounts on file. */
export function getCallListFacets(db: Database): CallListFacets {
  return memoUntilWrite(db, "facets", () => computeFacets(db));
}

function computeFacets(db: Database): CallListFacets {
  const distinct = (column: "account_manager" | "plan" | "region" | "industry") =>
    db.sqlite.prepare(`SELECT DISTINCT ${column} FROM accounts WHERE ${column} IS NOT NULL ORDER BY ${column} COLLATE NOCASE`).pluck().all() as string[];
  return { managers: distinct("account_manager"), plans: distinct("plan"), regions: distinct("region"), industries: distinct("industry") };
}

export interface CallListPageRequest {
  query: CallListQuery;
  /** The signed-in user's book, for "my accounts". */
  userBook: string | null;
  today: DayNumber;
}

/** A page of a list as the page and the API serve it: rows, totals and paging. */
export function getCallListPageData(db: Database, params: CallListPageRequest): CallListPageData {
  const { query } = params;
  const result = listCallListPage(db, resolvePageParams(query, { userBook: params.userBook, today: params.today }));
  return {
    ...result,
    page: query.page,
    pageSize: query.pageSize,
    pageCount: Math.max(1, Math.ceil(result.total / query.pageSize)),
    today: isoDateFromDay(params.today),
  };
}

export interface CallListCountsRequest {
  query: CallListFilterQuery;
  userBook: string | null;
  today: DayNumber;
}

export function getCallListCounts(db: Database, params: CallListCountsRequest): CallListCounts {
  return countCallLists(db, resolveFilterParams(params.query, { userBook: params.userBook, today: params.today }));
}

/** The day the stored scores are as of (ISO), or null when no account has a score yet. */
export function getScoresAsOf(db: Database): string | null {
  const day = db.sqlite.prepare("SELECT max(as_of_day) FROM account_scores").pluck().get() as number | null;
  return day === null ? null : isoDateFromDay(day);
}
