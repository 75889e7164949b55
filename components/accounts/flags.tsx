import type { ReactNode } from "react";
import { formatDate } from "@/lib/format";
import type { ChurnReason } from "@/lib/scoring/standing";

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
export function DecliningBadge({ compareDays }: { compareDays: number }) {
  return (
    <Flag tone="red" title={`The score fell sharply against ${compareDays} days ago: reach out now`} testId="declining-badge">
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

/** Churn risk, with which of its two causes applies (lib/scoring/standing.ts). */
export function ChurnRiskFlag({ reason, windowDays }: { reason: ChurnReason; windowDays: number }) {
  return (
    <Flag
      tone="red"
      title={
        reason === "silent"
          ? `Silent: no event that counts toward the score in the last ${windowDays} days. Intervene now.`
          : "Negative signals outweigh usage: intervene now"
      }
      testId="churn-flag"
    >
      <span data-reason={reason}>{reason === "silent" ? "Silent" : "Negative signals"} · intervene now</span>
    </Flag>
  );
}

/** Inside its first window without scored events: onboarding work, not churn risk. */
export function NotActiveYetFlag({ windowDays }: { windowDays: number }) {
  return (
    <Flag tone="slate" title={`No event that counts toward the score yet, inside its first ${windowDays} days: help it get started`} testId="not-active-flag">
      Onboarding
    </Flag>
  );
}

/** Did not exist on the comparison day: no previous score. */
export function NewAccountFlag({ since }: { since: string | null }) {
  return (
    <Flag tone="slate" title={since ? `New account: first seen ${formatDate(since)}, no score to compare with` : "New account: no score to compare with"} testId="new-flag">
      New{since ? ` · since ${formatDate(since)}` : ""}
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

