import "server-only";

/**
 * The call lists, filtered, sorted and paged by the database over the materialised scores
 * (account_scores) joined to accounts: a page never reads more than it shows, and no request
 * aggregates events. Every value that reaches SQL is a bound parameter; ORDER BY is built
 * only from fixed expressions. Written once for SQLite and PostgreSQL (db/client.ts). One
 * file per job:
 * - conditions.ts: each list's and each filter's WHERE conditions;
 * - order.ts: each order key as SQL, and ORDER BY for a plan;
 * - plan.ts and account-shares.ts: on SQLite, which table and index lead (a cost-based choice
 *   over per-value account counts, cached for a minute); PostgreSQL's planner chooses itself;
 * - pages.ts: a page of ids, the list's total, the CSV export's iteration;
 * - rows.ts: the full rows of a page, mapped to what the API sends;
 * - counts.ts: every list's size under the shared filters; facets.ts: the filters' options.
 */
export { getCallListPageData, iterateCallList, listCallListPage, type CallListPageRequest, type IterateCallListParams } from "./pages";
export { countCallLists, getCallListCounts, type CallListCountsRequest } from "./counts";
export { getCallListFacets, getScoresAsOf } from "./facets";
