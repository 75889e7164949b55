import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../http/api-client";
import { callListFilterSearch, callListSearch, filterQuery, type CallListQuery } from "./lists/query";
import type { CallListCounts, CallListFacets, CallListPageData } from "./lists/types";
import type { AccountActivity } from "./server/worklist";

/**
 * One query per resource, with structured keys, shared by server prefetch and browser:
 *   ["accounts", "list", search]     a page of a call list (search = its canonical URL query)
 *   ["accounts", "counts", search]   the size of every list under the shared filters
 *   ["accounts", "facets"]           the filter options
 *   ["accounts", id, "detail"]       the account page's data
 *   ["accounts", id, "activity"]     its contacts, notes and snooze
 * Working a list invalidates ["accounts"] prefixes as needed.
 */
export const accountKeys = {
  all: ["accounts"] as const,
  lists: () => [...accountKeys.all, "list"] as const,
  list: (search: string) => [...accountKeys.lists(), search] as const,
  allCounts: () => [...accountKeys.all, "counts"] as const,
  counts: (search: string) => [...accountKeys.allCounts(), search] as const,
  facets: () => [...accountKeys.all, "facets"] as const,
  detail: (id: number) => [...accountKeys.all, id, "detail"] as const,
  activity: (id: number) => [...accountKeys.all, id, "activity"] as const,
};

export function callListPageOptions(query: CallListQuery) {
  const search = callListSearch(query);
  return queryOptions({
    queryKey: accountKeys.list(search),
    queryFn: ({ signal }) => apiFetch<CallListPageData>(`/api/accounts${search}`, { signal }),
  });
}

export function callListCountsOptions(query: CallListQuery) {
  const search = callListFilterSearch(filterQuery(query));
  return queryOptions({
    queryKey: accountKeys.counts(search),
    queryFn: ({ signal }) => apiFetch<CallListCounts>(`/api/accounts/counts${search}`, { signal }),
  });
}

export function callListFacetsOptions() {
  return queryOptions({
    queryKey: accountKeys.facets(),
    queryFn: ({ signal }) => apiFetch<CallListFacets>("/api/accounts/facets", { signal }),
    staleTime: 10 * 60_000,
  });
}

export function accountActivityOptions(accountId: number) {
  return queryOptions({
    queryKey: accountKeys.activity(accountId),
    queryFn: ({ signal }) => apiFetch<AccountActivity>(`/api/accounts/${accountId}/activity`, { signal }),
  });
}

