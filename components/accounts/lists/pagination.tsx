"use client";

import { useId } from "react";
import { PAGE_SIZES, type PageSize } from "@/lib/accounts/lists/query";
import { pageWindow } from "@/lib/accounts/lists/paging";
import { formatCount } from "@/lib/format";

export function Pagination({
  page,
  pageCount,
  pageSize,
  total,
  shown,
  onPage,
  onPageSize,
}: {
  page: number;
  pageCount: number;
  pageSize: PageSize;
  total: number;
  shown: number;
  onPage: (page: number) => void;
  onPageSize: (size: PageSize) => void;
}) {
  const sizeId = useId();
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = (page - 1) * pageSize + shown;
  const button =
    "inline-flex min-w-8 items-center justify-center rounded-md px-2 py-1 text-sm font-medium tabular-nums disabled:cursor-not-allowed disabled:opacity-40";
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm text-slate-600">
      <p data-testid="list-range" aria-live="polite">
        {total === 0 ? "No accounts" : `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}`}
      </p>
      <div className="flex items-center gap-3">
        <div className="hidden items-center gap-1.5 sm:flex">
          <label htmlFor={sizeId}>Rows</label>
          <select
            id={sizeId}
            value={pageSize}
            onChange={(e) => onPageSize(PAGE_SIZES.find((s) => s === Number(e.target.value)) ?? pageSize)}
            className="rounded-md border border-slate-300 bg-white py-1 pl-2 pr-7 text-sm"
          >
            {PAGE_SIZES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <nav aria-label="Pages" className="flex items-center gap-1">
          <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1} className={`${button} text-slate-700 hover:bg-slate-100`}>
            <span aria-hidden="true">‹</span>
            <span className="sr-only">Previous page</span>
          </button>
          {pageWindow(page, pageCount).map((p, i) =>
            p === "gap" ? (
              <span key={`gap-${i}`} aria-hidden="true" className="px-1 text-slate-400">
                …
              </span>
            ) : (
              <button
                key={p}
                type="button"
                onClick={() => onPage(p)}
                aria-current={p === page ? "page" : undefined}
                className={`${button} ${p === page ? "bg-blue-600 text-white" : "text-slate-700 hover:bg-slate-100"} ${
                  p !== page && p !== 1 && p !== pageCount ? "hidden sm:inline-flex" : ""
                }`}
              >
                <span className="sr-only">Page </span>
                {formatCount(p)}
              </button>
            ),
          )}
          <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pageCount} className={`${button} text-slate-700 hover:bg-slate-100`}>
            <span aria-hidden="true">›</span>
            <span className="sr-only">Next page</span>
          </button>
        </nav>
      </div>
    </div>
  );
}
