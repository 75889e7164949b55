"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { sortKeysFor } from "@/lib/accounts/lists/columns";
import { callListInfo, churnRiskBreakdown } from "@/lib/accounts/lists/lists";
import { RENEWAL_WINDOW_DAYS } from "@/lib/accounts/lists/membership";
import { activeFilterCount, callListSearch, resolveManager, DEFAULT_PAGE_SIZE, defaultSortDir, SORT_KEYS, switchList, type CallListQuery, type SortKey } from "@/lib/accounts/lists/query";
import type { CallListCounts, CallListRow } from "@/lib/accounts/lists/types";
import { formatCount } from "@/lib/format";
import { callListCountsOptions, callListFacetsOptions, callListPageOptions } from "@/lib/accounts/query-options";
import { BAND_INFO, type BandThresholds } from "@/lib/scoring/bands";
import { BAND_CLASSES } from "@/components/band-style";
import { BUTTON } from "@/components/ui/button";
import { useHydrated } from "@/lib/use-hydrated";
import { ContactDialog } from "../worklist/contact-dialog";
import { SnoozeDialog } from "../worklist/snooze-dialog";
import { CallListTable } from "./call-list-table";
import { FilterBar } from "./filter-bar";
import { ListTabs } from "./list-tabs";
import { Pagination } from "./pagination";
import { useCallListUrl } from "./use-call-list-url";

const SORT_LABELS: Record<SortKey, string> = {
  name: "Account name",
  score: "Score",
  change: "Change",
  renewal: "Renewal date",
  trialEnd: "Trial end",
  arr: "ARR",
  manager: "Account manager",
  lastContact: "Last contact",
};

/** The same, inside a sentence ("Sorted by renewal date"): lower case except names like ARR. */
const SORT_PHRASES: Record<SortKey, string> = {
  name: "account name",
  score: "score",
  change: "change",
  renewal: "renewal date",
  trialEnd: "trial end",
  arr: "ARR",
  manager: "account manager",
  lastContact: "last contact",
};

function headline(query: CallListQuery, total: number | undefined, counts: CallListCounts | undefined): string {
  const n = total === undefined ? "…" : formatCount(total);
  if (query.list === "medium" && query.renewalsOnly) {
    const tier = counts ? ` of ${formatCount(counts.medium)} in the tier` : "";
    return `${n} renew within ${RENEWAL_WINDOW_DAYS} days${tier}`;
  }
  return `${n} ${total === 1 ? "account" : "accounts"}`;
}

function EmptyList({ query, onWholeTier, onClear, filtered }: { query: CallListQuery; onWholeTier: () => void; onClear: () => void; filtered: boolean }) {
  return (
    <div className="px-6 py-14 text-center" data-testid="empty-list">
      <h3 className="text-base font-semibold text-slate-900">
        {query.list === "medium" && query.renewalsOnly ? `No renewals in the next ${RENEWAL_WINDOW_DAYS} days` : "No accounts on this list"}
      </h3>
      <p className="mx-auto mt-1 max-w-md text-sm text-slate-500">
        {filtered ? "Nothing matches the filters. Widen them to see more accounts." : "When accounts qualify for this list, they appear here."}
      </p>
      <div className="mt-4 flex justify-center gap-2">
        {query.list === "medium" && query.renewalsOnly ? (
          <button type="button" onClick={onWholeTier} className={BUTTON.secondary}>
            Show the whole tier
          </button>
        ) : null}
        {filtered ? (
          <button type="button" onClick={onClear} className={BUTTON.secondary}>
            Clear filters
          </button>
        ) : null}
      </div>
    </div>
  );
}

function LoadingRows() {
  return (
    <div role="status" className="animate-pulse space-y-3 p-4">
      <span className="sr-only">Loading accounts…</span>
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="h-10 rounded bg-slate-100" />
      ))}
    </div>
  );
}

/** The call lists: tabs, filters, the list with its playbook, paging, export and row actions. */
export function CallListWorkspace({
  thresholds,
  windowDays,
  compareDays,
  userBook,
  canWork,
}: {
  thresholds: BandThresholds;
  windowDays: number;
  compareDays: number;
  /** The signed-in user's book ("my accounts"), or null. */
  userBook: string | null;
  /** Managers and admins log contacts and snooze; viewers only read. */
  canWork: boolean;
}) {
  const { query, go, update } = useCallListUrl();
  const hydrated = useHydrated();
  const list = useQuery({ ...callListPageOptions(query), placeholderData: keepPreviousData });
  const counts = useQuery({ ...callListCountsOptions(query), placeholderData: keepPreviousData });
  const facets = useQuery(callListFacetsOptions());
  const [contactFor, setContactFor] = useState<CallListRow | null>(null);
  const [snoozeFor, setSnoozeFor] = useState<CallListRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(timer);
  }, [notice]);

  const info = callListInfo(query.list, thresholds, windowDays);
  const churnLine = query.list === "low" && query.band === null && counts.data ? churnRiskBreakdown(counts.data) : null;
  const data = list.data;
  const filtered = activeFilterCount(query) > 0;
  const clear = () => update({ manager: null, plan: null, region: null, industry: null, stage: null, q: "", band: null });
  const exportHref = `/api/accounts/export${callListSearch({ ...query, page: 1, pageSize: DEFAULT_PAGE_SIZE })}`;
  const busy = list.isFetching && list.isPlaceholderData;
  const oneBook = resolveManager(query.manager, userBook) !== null;

  return (
    <div className="space-y-4" data-testid="call-lists" data-ready={hydrated ? "true" : undefined}>
      <ListTabs
        query={query}
        counts={counts.data}
        thresholds={thresholds}
        windowDays={windowDays}
        userBook={userBook}
        onSelect={(l) => go(switchList(query, l))}
      />

      <section aria-labelledby="list-title" className="grid gap-4 lg:grid-cols-[1fr_auto] lg:items-start">
        <div className="min-w-0">
          <h2 id="list-title" className="text-lg font-semibold text-slate-900">
            {info.title}
          </h2>
          <p className="mt-0.5 text-sm text-slate-600" data-testid="list-headline">
            <span className="font-medium text-slate-900">{headline(query, data?.total, counts.data)}</span>
            <span className="text-slate-400"> · </span>
            {query.sort ? (
              <>
                Sorted by {SORT_PHRASES[query.sort]} ({query.dir === "asc" ? "ascending" : "descending"}).{" "}
                <button type="button" onClick={() => update({ sort: null, dir: "asc" })} className="font-medium text-blue-700 hover:underline">
                  Use the recommended order
                </button>
              </>
            ) : query.list === "medium" && query.renewalsOnly ? (
              "Soonest renewal first: call three months before the renewal date."
            ) : (
              info.orderDescription
            )}
          </p>
          {churnLine ? (
            <p className="mt-0.5 text-sm text-slate-600" data-testid="churn-breakdown">
              {churnLine}
            </p>
          ) : null}
          <ul className="mt-2 space-y-1" aria-label="Playbook">
            {info.playbook.map((line) => (
              <li key={line.text} className="flex gap-2 text-sm leading-snug text-slate-600" data-testid="playbook-line">
                <span aria-hidden="true" className={`mt-1.5 size-2 shrink-0 rounded-full ${line.band ? BAND_CLASSES[line.band].dot : "bg-blue-500"}`} />
                <span>{line.text}</span>
              </li>
            ))}
          </ul>
        </div>
        <div className="flex flex-wrap items-center gap-2 lg:justify-end">
          <label className="sr-only" htmlFor="mobile-sort">
            Sort by
          </label>
          <select
            id="mobile-sort"
            value={query.sort ?? ""}
            onChange={(e) => {
              const key = SORT_KEYS.find((k) => k === e.target.value) ?? null;
              update({ sort: key, dir: key ? defaultSortDir(key) : "asc" });
            }}
            className="rounded-md border border-slate-300 bg-white py-1.5 pl-2.5 pr-8 text-sm md:hidden"
          >
            <option value="">Recommended order</option>
            {sortKeysFor(query.list, !oneBook).map((k) => (
              <option key={k} value={k}>
                {SORT_LABELS[k]}
              </option>
            ))}
          </select>
          <a href={exportHref} download className={BUTTON.secondary} data-testid="export-csv">
            <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
              <path d="M10 3v9m0 0l-3.5-3.5M10 12l3.5-3.5M4 14v2.5h12V14" />
            </svg>
            Export CSV
          </a>
        </div>
      </section>

      <FilterBar
        query={query}
        facets={facets.data}
        userBook={userBook}
        snoozedCount={counts.data?.snoozed}
        onChange={update}
        onClear={clear}
      />

      {/* data-today: the day the server listed for (tests compute the expected list for that same day). */}
      <div
        className="relative overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm"
        aria-busy={busy || list.isPending}
        data-testid="list-body"
        data-today={data?.today}
      >
        {busy ? <div aria-hidden="true" className="absolute inset-x-0 top-0 z-10 h-0.5 animate-pulse bg-blue-500" /> : null}
        {list.isError && !data ? (
          <div role="alert" className="px-6 py-12 text-center">
            <h3 className="text-base font-semibold text-slate-900">The list could not be loaded</h3>
            <p className="mt-1 text-sm text-slate-500">{list.error.message}</p>
            <button type="button" onClick={() => void list.refetch()} className={`${BUTTON.secondary} mt-4`}>
              Try again
            </button>
          </div>
        ) : !data ? (
          <LoadingRows />
        ) : data.rows.length === 0 && data.total > 0 ? (
          <div className="px-6 py-12 text-center">
            <p className="text-sm text-slate-600">This page is past the end of the list.</p>
            <button type="button" onClick={() => update({ page: data.pageCount })} className={`${BUTTON.secondary} mt-3`}>
              Go to the last page
            </button>
          </div>
        ) : data.rows.length === 0 ? (
          <EmptyList query={query} filtered={filtered} onClear={clear} onWholeTier={() => update({ renewalsOnly: false })} />
        ) : (
          <div className={busy ? "opacity-60 transition-opacity" : "transition-opacity"}>
            {list.isError ? (
              <p role="alert" className="border-b border-red-100 bg-red-50 px-4 py-2 text-sm text-red-700">
                Could not refresh the list: {list.error.message}
              </p>
            ) : null}
            <CallListTable
              rows={data.rows}
              list={query.list}
              today={data.today}
              windowDays={windowDays}
              compareDays={compareDays}
              sort={query.sort}
              dir={query.dir}
              onSort={(sort, dir) => update({ sort, dir })}
              actions={canWork ? { onLogContact: setContactFor, onSnooze: setSnoozeFor } : null}
              showManager={!oneBook}
            />
            <Pagination
              page={query.page}
              pageCount={data.pageCount}
              pageSize={query.pageSize}
              total={data.total}
              shown={data.rows.length}
              onPage={(page) => {
                go({ ...query, page });
                document.getElementById("list-title")?.scrollIntoView({ block: "start" });
              }}
              onPageSize={(pageSize) => update({ pageSize })}
            />
          </div>
        )}
      </div>

      {query.band ? (
        <p className="text-xs text-slate-500">
          Showing the {BAND_INFO[query.band].label.toLowerCase()} band only.
        </p>
      ) : null}

      {contactFor ? (
        <ContactDialog account={contactFor} open onClose={() => setContactFor(null)} onLogged={setNotice} />
      ) : null}
      {snoozeFor && data ? (
        <SnoozeDialog
          account={snoozeFor}
          today={data.today}
          snoozedUntil={snoozeFor.snoozedUntil}
          open
          onClose={() => setSnoozeFor(null)}
          onDone={setNotice}
        />
      ) : null}

      <div aria-live="polite" role="status" className="pointer-events-none fixed inset-x-0 bottom-4 z-40 flex justify-center px-4">
        {notice ? (
          <p className="pointer-events-auto rounded-lg bg-slate-900 px-4 py-2.5 text-sm text-white shadow-lg" data-testid="notice">
            {notice}
          </p>
        ) : null}
      </div>
    </div>
  );
}

