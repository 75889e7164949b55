"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Card } from "./card";

/** A placeholder with the shape of what is loading. */
export function Skeleton({ className = "" }: { className?: string }) {
  return <div aria-hidden="true" className={`animate-pulse rounded-md bg-slate-200/70 ${className}`} />;
}

export function LoadingBlock({ label, height = 240 }: { label: string; height?: number }) {
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-3" style={{ minHeight: height }}>
      <span className="sr-only">{label}</span>
      <Skeleton className="h-4 w-1/3" />
      <Skeleton className="w-full flex-1" />
    </div>
  );
}

/** What went wrong, in words, and a way to try again. */
export function ErrorBlock({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : "Something went wrong.";
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      <p className="font-medium">Could not load this view.</p>
      <p className="mt-0.5">{message}</p>
      {onRetry ? (
        <button type="button" onClick={onRetry} className="mt-2 rounded-md bg-white px-3 py-1 text-sm font-medium text-red-800 ring-1 ring-red-300 hover:bg-red-100">
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** A short list loading inside a panel or menu: `lines` placeholder rows and a label for screen readers. */
export function LoadingLines({ label, lines = 2, className = "" }: { label: string; lines?: number; className?: string }) {
  return (
    <div role="status" className={`animate-pulse space-y-2 ${className}`}>
      <span className="sr-only">{label}</span>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="h-11 rounded bg-slate-100" />
      ))}
    </div>
  );
}

/** A list inside a panel or menu that did not load: "Could not load {what}", why, and a retry. */
export function InlineQueryError({ what, error, onRetry, className = "" }: { what: string; error: Error; onRetry: () => void; className?: string }) {
  return (
    <div role="alert" className={`rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ${className}`}>
      Could not load {what}: {error.message}{" "}
      <button type="button" onClick={onRetry} className="font-medium underline">
        Try again
      </button>
    </div>
  );
}

/**
 * The states every analysis view goes through before it can draw: loading (a skeleton in a
 * card), failed (the error and a retry), no data yet (`noData`: the server answers null until
 * accounts are scored), then the view itself, drawn from the data.
 */
export function QueryStates<T>({
  query,
  loadingLabel,
  loadingHeight,
  noData,
  children,
}: {
  query: UseQueryResult<T | null>;
  loadingLabel: string;
  loadingHeight?: number;
  noData: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <Card>
        <LoadingBlock label={loadingLabel} height={loadingHeight} />
      </Card>
    );
  }
  if (query.isError) return <ErrorBlock error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data === null) return noData;
  return children(query.data);
}

/** A subtle note while new data for a changed choice is on its way (old data stays shown). */
export function UpdatingNote({ active }: { active: boolean }) {
  return (
    <span role="status" aria-live="polite" className={`text-xs text-slate-500 transition-opacity ${active ? "opacity-100" : "opacity-0"}`}>
      {active ? "Updating…" : ""}
    </span>
  );
}

/** A row of mutually exclusive choices (a segmented control), keyboard and screen-reader friendly. */
export function SegmentedControl<T extends string | number>({
  label,
  options,
  value,
  onChange,
  format = (v) => String(v),
}: {
  label: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  format?: (value: T) => ReactNode;
}) {
  return (
    <div role="group" aria-label={label} className="inline-flex rounded-lg bg-slate-100 p-0.5">
      {options.map((o) => (
        <button
          key={String(o)}
          type="button"
          aria-pressed={o === value}
          onClick={() => onChange(o)}
          className={`rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${
            o === value ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"
          }`}
        >
          {format(o)}
        </button>
      ))}
    </div>
  );
}

export function Field({ label, htmlFor, children, hint }: { label: string; htmlFor: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={htmlFor} className="text-xs font-medium uppercase tracking-wide text-slate-500">
        {label}
      </label>
      {children}
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

export const SELECT_CLASS =
  "rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-sm focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-500/30";
