"use client";

import { useEffect, useId, useState } from "react";
import { STAGE_LABELS, STAGES } from "@/lib/accounts/lists/lists";
import { RENEWAL_WINDOW_DAYS } from "@/lib/accounts/lists/membership";
import { activeFilterCount, activeFilters, ALL_MANAGERS, type CallListQuery } from "@/lib/accounts/lists/query";
import type { CallListFacets } from "@/lib/accounts/lists/types";
import { formatCount } from "@/lib/format";
import { BAND_INFO } from "@/lib/scoring/bands";
import { BUTTON } from "@/components/ui/button";

const SELECT =
  "block min-w-0 rounded-md border border-slate-300 bg-white py-1.5 pl-2.5 pr-8 text-sm text-slate-800 shadow-sm focus:border-blue-600 focus:outline-none focus:ring-1 focus:ring-blue-600";

function SelectFilter({
  label,
  value,
  allLabel,
  options,
  onChange,
  testId,
  fitContent = false,
}: {
  label: string;
  value: string;
  allLabel: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string | null) => void;
  testId: string;
  /** As wide as its longest option (a person's name is never cut), instead of sharing the row evenly. */
  fitContent?: boolean;
}) {
  const id = useId();
  return (
    <div className={fitContent ? "max-w-full flex-none" : "min-w-[9rem] flex-1 basis-36"}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-500">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
        className={`${SELECT} ${fitContent ? "w-auto max-w-full" : "w-full"}`}
        data-testid={testId}
      >
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Name search that updates the URL once typing pauses, without a history entry per key. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  // When the URL changes underneath (Clear filters, Back), show its search instead.
  if (value !== shown) {
    setShown(value);
    if (value !== text.trim()) setText(value);
  }
  useEffect(() => {
    const q = text.trim();
    if (q === value) return;
    const timer = setTimeout(() => onSearch(q), 300);
    return () => clearTimeout(timer);
  }, [text, value, onSearch]);

  return (
    <div className="relative min-w-0 flex-1">
      <label htmlFor="account-search" className="sr-only">
        Search accounts by name
      </label>
      <svg aria-hidden="true" viewBox="0 0 20 20" className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-slate-400" fill="none" stroke="currentColor" strokeWidth={1.8}>
        <circle cx="9" cy="9" r="5.5" />
        <path d="M13.5 13.5L17 17" strokeLinecap="round" />
      </svg>
      <input
        id="account-search"
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") onSearch(text.trim());
        }}
        placeholder="Search accounts by name"
        autoComplete="off"
        maxLength={100}
        className="block w-full rounded-md border border-slate-300 bg-white py-1.5 pl-8 pr-3 text-sm shadow-sm placeholder:text-slate-400 focus:border-blue-600 focus:outline-none focus:ring-1 focus:ring-blue-600"
      />
    </div>
  );
}

function Toggle({ checked, onChange, children, testId }: { checked: boolean; onChange: (checked: boolean) => void; children: React.ReactNode; testId: string }) {
  return (
    <label className="inline-flex cursor-pointer items-center gap-2 text-sm text-slate-700">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="peer sr-only" data-testid={testId} />
      <span
        aria-hidden="true"
        className="relative inline-flex h-5 w-9 shrink-0 items-center rounded-full bg-slate-300 transition-colors peer-checked:bg-blue-600 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-blue-600 after:absolute after:left-0.5 after:size-4 after:rounded-full after:bg-white after:shadow after:transition-transform peer-checked:after:translate-x-4"
      />
      {children}
    </label>
  );
}

export function FilterBar({
  query,
  facets,
  userBook,
  snoozedCount,
  onChange,
  onClear,
}: {
  query: CallListQuery;
  facets: CallListFacets | undefined;
  userBook: string | null;
  snoozedCount: number | undefined;
  onChange: (patch: Partial<CallListQuery>, history?: "push" | "replace") => void;
  onClear: () => void;
}) {
  const [open, setOpen] = useState(false);
  const active = activeFilterCount(query);
  const toOptions = (values: readonly string[] | undefined) => (values ?? []).map((v) => ({ value: v, label: v }));
  // "My accounts" is the default (no manager in the URL); without a book, the default is everyone.
  const managerValue = query.manager === null ? (userBook ? "" : ALL_MANAGERS) : query.manager;
  const managerOptions = [
    ...(userBook ? [{ value: ALL_MANAGERS, label: "All managers" }] : []),
    ...toOptions(facets?.managers).filter((o) => o.value !== userBook),
  ];
  // The filters inside the panel this button opens (the search and the band sit outside it).
  const extra = activeFilters(query).filter((name) => name !== "q" && name !== "band").length;

  return (
    <div className="space-y-3" data-testid="filter-bar">
      <div className="flex gap-2">
        <SearchBox value={query.q} onSearch={(q) => onChange({ q }, "replace")} />
        <button
          type="button"
          onClick={() => setOpen((v) => !v)}
          aria-expanded={open}
          aria-controls="list-filters"
          className={`${BUTTON.secondary} lg:hidden`}
        >
          Filters{extra > 0 ? ` (${extra})` : ""}
        </button>
      </div>

      <div id="list-filters" className={`${open ? "flex" : "hidden"} flex-wrap gap-3 lg:flex`}>
        {userBook ? (
          <SelectFilter
            label="Account manager"
            value={managerValue}
            allLabel={`My accounts (${userBook})`}
            options={managerOptions}
            onChange={(v) => onChange({ manager: v })}
            testId="filter-manager"
            fitContent
          />
        ) : (
          <SelectFilter
            label="Account manager"
            value={query.manager === null || query.manager === ALL_MANAGERS ? "" : query.manager}
            allLabel="All managers"
            options={toOptions(facets?.managers)}
            onChange={(v) => onChange({ manager: v })}
            testId="filter-manager"
            fitContent
          />
        )}
        <SelectFilter label="Plan" value={query.plan ?? ""} allLabel="All plans" options={toOptions(facets?.plans)} onChange={(v) => onChange({ plan: v })} testId="filter-plan" />
        <SelectFilter label="Region" value={query.region ?? ""} allLabel="All regions" options={toOptions(facets?.regions)} onChange={(v) => onChange({ region: v })} testId="filter-region" />
        <SelectFilter
          label="Industry"
          value={query.industry ?? ""}
          allLabel="All industries"
          options={toOptions(facets?.industries)}
          onChange={(v) => onChange({ industry: v })}
          testId="filter-industry"
        />
        <SelectFilter
          label="Lifecycle stage"
          value={query.stage ?? ""}
          // Without a stage, the lists hold trials and customers: churned accounts only on request.
          allLabel="Trials and customers"
          options={STAGES.map((s) => ({ value: s, label: STAGE_LABELS[s] }))}
          onChange={(v) => onChange({ stage: STAGES.find((s) => s === v) ?? null })}
          testId="filter-stage"
        />
      </div>

      <div className="flex flex-wrap items-center gap-x-5 gap-y-2">
        {query.list === "medium" ? (
          <Toggle checked={query.renewalsOnly} onChange={(renewalsOnly) => onChange({ renewalsOnly })} testId="toggle-renewals">
            Renewals in the next {RENEWAL_WINDOW_DAYS} days only
          </Toggle>
        ) : null}
        <Toggle checked={query.showSnoozed} onChange={(showSnoozed) => onChange({ showSnoozed })} testId="toggle-snoozed">
          Show snoozed{snoozedCount ? ` (${formatCount(snoozedCount)})` : ""}
        </Toggle>
        {query.band ? (
          <span className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pl-2.5 pr-1 text-sm text-slate-700">
            Band: {BAND_INFO[query.band].label}
            <button type="button" onClick={() => onChange({ band: null })} className="rounded-full p-0.5 hover:bg-slate-200">
              <span className="sr-only">Remove the band filter</span>
              <svg aria-hidden="true" viewBox="0 0 20 20" className="size-3.5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round">
                <path d="M6 6l8 8M14 6l-8 8" />
              </svg>
            </button>
          </span>
        ) : null}
        {active > 0 ? (
          <button type="button" onClick={onClear} className="text-sm font-medium text-blue-700 hover:underline">
            Clear filters
          </button>
        ) : null}
      </div>
    </div>
  );
}
