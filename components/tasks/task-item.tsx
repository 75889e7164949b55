"use client";

import Link from "next/link";
import { dueText } from "@/lib/alerts/tasks";
import type { TaskRow } from "@/lib/alerts/server/tasks";
import { formatDateTime, formatPoints } from "@/lib/format";
import { CONTACT_OUTCOME_LABELS } from "@/lib/accounts/contact-outcomes";
import { BandBadge } from "../band-badge";
import { BUTTON } from "../ui/button";

const DUE_TONES = {
  overdue: "bg-red-50 text-red-700 ring-red-600/20",
  today: "bg-amber-50 text-amber-800 ring-amber-600/20",
  later: "bg-slate-50 text-slate-600 ring-slate-500/20",
} as const;

/** One task: the account, what to do and by when; open tasks can be completed or dismissed. */
export function TaskItem({
  task,
  today,
  showAccount = true,
  canWork,
  onComplete,
  onDismiss,
  dismissing,
}: {
  task: TaskRow;
  today: number;
  showAccount?: boolean;
  canWork: boolean;
  onComplete: (task: TaskRow) => void;
  onDismiss: (task: TaskRow) => void;
  dismissing: boolean;
}) {
  const open = task.status === "open";
  const due = dueText(task.dueDate, today);
  return (
    <li className="px-4 py-3 sm:px-5" data-testid="task-item" data-task-id={task.id}>
      <div className="grid gap-x-4 gap-y-3 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
        <div className="min-w-0">
          {showAccount ? (
            <div className="flex flex-wrap items-center gap-2">
              <Link href={`/accounts/${task.accountId}`} className="truncate font-semibold text-slate-900 hover:text-blue-700 hover:underline">
                {task.accountName}
              </Link>
              {task.band ? <BandBadge band={task.band} /> : null}
              {task.scoreHundredths !== null ? <span className="text-xs tabular-nums text-slate-500">score {formatPoints(task.scoreHundredths)}</span> : null}
            </div>
          ) : null}
          <p className={`${showAccount ? "mt-1" : ""} text-sm font-medium text-slate-800`}>{task.title}</p>
          <p className="mt-0.5 text-sm text-slate-600">{task.playbook}</p>
          <p className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-500">
            {open ? <span className={`rounded-full px-2 py-0.5 font-medium ring-1 ring-inset ${DUE_TONES[due.tone]}`}>{due.text}</span> : null}
            {task.assignee ? <span>For {task.assignee}</span> : <span>No account manager</span>}
            <span aria-hidden="true">·</span>
            <span>Created {formatDateTime(task.createdAt)}</span>
            {!open && task.completedAt !== null ? (
              <>
                <span aria-hidden="true">·</span>
                <span className="font-medium text-slate-700">
                  {task.status === "done" ? "Done" : "Dismissed"}
                  {task.completedByName ? ` by ${task.completedByName}` : ""}
                  {task.contactOutcome ? ` (${CONTACT_OUTCOME_LABELS[task.contactOutcome].toLowerCase()})` : ""}, {formatDateTime(task.completedAt)}
                </span>
              </>
            ) : null}
          </p>
        </div>
        {open && canWork ? (
          <div className="flex shrink-0 gap-2">
            <button type="button" onClick={() => onComplete(task)} className={BUTTON.primary} aria-label={`Complete: ${task.title}`}>
              Complete…
            </button>
            <button type="button" onClick={() => onDismiss(task)} disabled={dismissing} className={BUTTON.secondary} aria-label={`Dismiss: ${task.title}`}>
              {dismissing ? "Dismissing…" : "Dismiss"}
            </button>
          </div>
        ) : null}
      </div>
    </li>
  );
}
