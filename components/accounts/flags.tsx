import type { ReactNode } from "react";
import { formatDate } from "@/lib/format";

function Flag({ tone, title, children, testId }: { tone: "red" | "violet" | "slate" | "amber"; title?: string; children: ReactNode; testId?: string }) {
  const tones = {
    red: "bg-red-50 text-red-700 ring-red-600/20",
    violet: "bg-violet-50 text-violet-700 ring-violet-600/20",
    slate: "bg-slate-100 text-slate-600 ring-slate-500/20",
    amber: "bg-amber-50 text-amber-800 ring-amber-600/25",
  } as const;
  return (
    <span
      title={title}
      data-testid={testId}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-md px-1.5 py-0.5 text-[11px] font-medium leading-4 ring-1 ring-inset ${tones[tone]}`}
    >
      {children}
    </span>
  );
}

/** Fell by at least the configured amount against the comparison day: the moment to reach out. */
export function DecliningBadge() {
  return (
    <Flag tone="red" title="The score fell sharply against 30 days ago: reach out now" testId="declining-badge">
      <svg aria-hidden="true" viewBox="0 0 12 12" className="size-3" fill="none" stroke="currentColor" strokeWidth={1.6}>
        <path d="M1 3l4 4 2-2 4 4M11 6v3H8" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      Declining
    </Flag>
  );
}

export function PowerUserFlag() {
  return (
    <Flag tone="violet" title="Power user: an upsell and advocacy candidate" testId="power-flag">
      Upsell · advocate
    </Flag>
  );
}

export function ChurnRiskFlag() {
  return (
    <Flag tone="red" title="Negative signals outweigh usage: intervene now" testId="churn-flag">
      Intervene now
    </Flag>
  );
}

export function SnoozedBadge({ until }: { until: string }) {
  return (
    <Flag tone="slate" title={`Snoozed: back on the lists on ${formatDate(until)}`} testId="snoozed-badge">
      Snoozed to {formatDate(until)}
    </Flag>
  );
}

export function RenewalSoonBadge({ days }: { days: number }) {
  return (
    <Flag tone="amber" title="Renews within 90 days: call now" testId="renewal-soon">
      Renews {days === 0 ? "today" : `in ${days} d`}
    </Flag>
  );
}
