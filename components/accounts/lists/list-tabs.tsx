"use client";

import { callListInfo, CALL_LISTS, listTabCount, listTabParts, type CallListId } from "@/lib/accounts/lists/lists";
import { callListSearch, countScope, filterQuery, switchList, type CallListQuery } from "@/lib/accounts/lists/query";
import type { CallListCounts } from "@/lib/accounts/lists/types";
import type { BandThresholds } from "@/lib/scoring/bands";

const GROUPS: { label: string; lists: CallListId[] }[] = [
  { label: "Tiers", lists: ["high", "medium", "low"] },
  { label: "Signals", lists: ["drops", "trials", "onboarding", "upsell"] },
];

/**
 * One tab per list, with what it holds under the current filters: a tier says which bands
 * ("80–100 · 138, and 314 power users"), and a line says whose accounts the counts cover.
 * Real links: they open in new tabs too.
 */
export function ListTabs({
  query,
  counts,
  thresholds,
  windowDays,
  userBook,
  onSelect,
}: {
  query: CallListQuery;
  counts: CallListCounts | undefined;
  thresholds: BandThresholds;
  windowDays: number;
  userBook: string | null;
  onSelect: (list: CallListId) => void;
}) {
  return (
    <div>
      <nav aria-label="Call lists" className="-mx-4 overflow-x-auto relative px-4 sm:mx-0 sm:px-0">
        <ul className="flex min-w-max gap-1 border-b border-slate-200">
          {CALL_LISTS.map((list, i) => {
            const active = query.list === list;
            const info = callListInfo(list, thresholds, windowDays);
            const startsGroup = i > 0 && GROUPS.some((g) => g.lists[0] === list);
            const parts = counts ? listTabParts(list, counts) : null;
            return (
              <li key={list} className={`flex ${startsGroup ? "ml-3 border-l border-slate-200 pl-3" : ""}`}>
                <a
                  href={`/accounts${callListSearch(switchList(query, list))}`}
                  onClick={(e) => {
                    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                    e.preventDefault();
                    onSelect(list);
                  }}
                  aria-current={active ? "page" : undefined}
                  aria-label={counts ? `${info.label} · ${listTabCount(list, counts)}` : undefined}
                  data-testid={`list-tab-${list}`}
                  className={`-mb-px flex flex-col justify-center whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium transition-colors ${
                    active ? "border-blue-600 text-blue-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
                  }`}
                >
                  <span className="inline-flex items-center gap-2">
                    {info.label}
                    <span
                      className={`rounded-full px-1.5 py-0.5 text-xs tabular-nums ${active ? "bg-blue-100 text-blue-700" : "bg-slate-100 text-slate-600"}`}
                      data-testid={`list-count-${list}`}
                    >
                      {parts ? parts.main : "…"}
                    </span>
                  </span>
                  {parts?.extra ? (
                    <span className="text-[11px] font-normal leading-tight text-slate-500" data-testid={`list-extra-${list}`}>
                      {parts.extra}
                    </span>
                  ) : null}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <p className="mt-1.5 text-xs text-slate-500" data-testid="count-scope">
        Counts: {countScope(filterQuery(query), userBook)}
      </p>
    </div>
  );
}
