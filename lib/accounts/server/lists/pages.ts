import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";
import type { CallListQuery } from "@/lib/accounts/lists/query";
import { resolvePageParams, type CallListPageParams, type CallListParams } from "@/lib/accounts/lists/resolve";
import type { CallListPageData, CallListResult, CallListRow } from "@/lib/accounts/lists/types";
import { isoDateFromDay, type DayNumber } from "@/lib/days";
import { memoUntilChange, readConsistently } from "@/db/query-cache";
import { listConditions, whereClause } from "./conditions";
import { orderBy } from "./order";
import { planFor } from "./plan";
import { rowsFor } from "./rows";

/** The ids of one page, in list order: only the columns the filters and the order need are read. */
async function pageIds(db: Db, params: CallListParams, limit: number, offset: number): Promise<number[]> {
  const conditions = listConditions(db.dialect, params);
  const plan = await planFor(db, conditions, params.order, params.renewalsOnly, offset + limit);
  const order = orderBy(params.order, plan, { dialect: db.dialect, today: params.today });
  const rows = await db.all<{ id: Column<typeof schema.accountScores, "accountId"> }>(sql`SELECT s.account_id AS id ${plan.from} ${whereClause(conditions)} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`);
  return rows.map((r) => r.id);
}

/** What decides which accounts a list holds (not their order or the page). */
function membershipKey(params: CallListParams): string {
  const { list, band, renewalsOnly, managerName, plan, region, industry, stage, search, includeSnoozed, today } = params;
  return JSON.stringify([list, band, renewalsOnly, managerName, plan, region, industry, stage, search, includeSnoozed, today]);
}

/**
 * How many accounts the whole list holds; paging and sorting reuse it until anything is
 * written to the database (by any server: query-cache.ts memoUntilChange).
 */
async function countList(db: Db, params: CallListParams): Promise<number> {
  return memoUntilChange(db, `list-total\u0000${membershipKey(params)}`, async () => {
    const conditions = listConditions(db.dialect, params);
    const plan = await planFor(db, conditions, [], params.renewalsOnly, Number.POSITIVE_INFINITY);
    return (await db.value<number>(sql`SELECT count(*) ${plan.from} ${whereClause(conditions)}`)) ?? 0;
  });
}

/**
 * One page of a call list, and how many accounts the whole list holds, on one snapshot: the
 * page's members, their rows and the total are of the same scores even while another server
 * commits a recompute.
 */
export async function listCallListPage(db: Db, params: CallListPageParams): Promise<CallListResult> {
  return readConsistently(db, async (snapshot) => {
    const ids = await pageIds(snapshot, params, params.limit, params.offset);
    const [rows, total] = await Promise.all([rowsFor(snapshot, ids, params.today), countList(snapshot, params)]);
    return { rows, total };
  });
}

/**
 * Every account of a call list in list order (for CSV export), read in pages so memory stays
 * flat however long the list is.
 */
export interface IterateCallListParams extends CallListParams {
  /** Rows read per query (default 1,000). */
  batchSize?: number;
}

export async function* iterateCallList(db: Db, params: IterateCallListParams): AsyncGenerator<CallListRow> {
  const pageSize = params.batchSize ?? 1000;
  for (let offset = 0; ; offset += pageSize) {
    const ids = await pageIds(db, params, pageSize, offset);
    yield* await rowsFor(db, ids, params.today);
    if (ids.length < pageSize) return;
  }
}

export interface CallListPageRequest {
  query: CallListQuery;
  /** The signed-in user's book, for "my accounts". */
  userBook: string | null;
  today: DayNumber;
}

/** A page of a list as the page and the API serve it: rows, totals and paging. */
export async function getCallListPageData(db: Db, params: CallListPageRequest): Promise<CallListPageData> {
  const { query } = params;
  const result = await listCallListPage(db, resolvePageParams(query, { userBook: params.userBook, today: params.today }));
  return {
    ...result,
    page: query.page,
    pageSize: query.pageSize,
    pageCount: Math.max(1, Math.ceil(result.total / query.pageSize)),
    today: isoDateFromDay(params.today),
  };
}
