import "server-only";
import type { Database } from "@/db";
import type { CallListQuery } from "../../call-lists/query";
import { resolvePageParams, type CallListPageParams, type CallListParams } from "../../call-lists/resolve";
import type { CallListPageData, CallListResult, CallListRow } from "../../call-lists/types";
import { isoDateFromDay, type DayNumber } from "../../days";
import { cachedStatement, memoUntilWrite } from "../query-cache";
import { listConditions, whereClause } from "./conditions";
import { orderBy } from "./order";
import { planFor } from "./plan";
import { rowsFor } from "./rows";

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
