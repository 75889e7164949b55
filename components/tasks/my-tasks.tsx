"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { TaskRow } from "@/lib/alerts/server/tasks";
import { tasksSearch, tasksUrlSchema } from "@/lib/alerts/tasks";
import { formatCount } from "@/lib/format";
import { useCloseTask } from "@/lib/alerts/mutations";
import { tasksOptions } from "@/lib/alerts/query-options";
import { useUrlParams } from "@/lib/use-url-params";
import { ErrorBlock, SegmentedControl } from "../query-state";
import { BUTTON } from "../ui/button";
import { CompleteTaskDialog } from "./complete-task-dialog";
import { TaskItem } from "./task-item";

function Counts({ open, overdue, dueToday }: { open: number; overdue: number; dueToday: number }) {
  return (
    <dl className="grid grid-cols-3 gap-3" aria-label="Open tasks">
      {[
        { label: "Open", value: open, tone: "text-slate-900" },
        { label: "Overdue", value: overdue, tone: overdue > 0 ? "text-red-700" : "text-slate-900" },
        { label: "Due today", value: dueToday, tone: dueToday > 0 ? "text-amber-700" : "text-slate-900" },
      ].map((c) => (
        <div key={c.label} className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm">
          <dt className="text-xs font-medium text-slate-500">{c.label}</dt>
          <dd className={`mt-0.5 text-2xl font-semibold tabular-nums ${c.tone}`} data-testid={`tasks-count-${c.label.toLowerCase().replace(" ", "-")}`}>
            {formatCount(c.value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** My tasks: open (soonest due first) or closed, mine or the whole team's, with completing and dismissing. */
export function MyTasks({ today, hasBook }: { today: number; hasBook: boolean }) {
  const [state, setState] = useUrlParams(tasksUrlSchema);
  const query = useQuery({ ...tasksOptions(tasksSearch(state)), placeholderData: keepPreviousData });
  const [completing, setCompleting] = useState<TaskRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dismissingId, setDismissingId] = useState<number | null>(null);
  const dismissAccount = useCloseTask().dismiss;

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(timer);
  }, [notice]);

  const data = query.data;
  const scope = data?.scope ?? state.scope ?? (hasBook ? "mine" : "all");
  const pageCount = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <div className="space-y-4" data-testid="my-tasks">
      {data ? <Counts {...data.counts} /> : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <SegmentedControl
            label="Which tasks"
            options={["open", "closed"] as const}
            value={state.status}
            onChange={(status) => setState({ status, page: 1 })}
            format={(v) => (v === "open" ? "Open" : "Done and dismissed")}
          />
          {hasBook ? (
            <SegmentedControl
              label="Whose tasks"
              options={["mine", "all"] as const}
              value={scope}
              onChange={(s) => setState({ scope: s, page: 1 })}
              format={(v) => (v === "mine" ? "My book" : "Whole team")}
            />
          ) : null}
        </div>
        <Link href="/accounts" className="text-sm font-medium text-blue-700 hover:underline">
          Call lists →
        </Link>
      </div>
      {notice ? (
        <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {notice}
        </p>
      ) : null}
      {dismissAccount.isError ? (
        <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          Could not dismiss the task: {dismissAccount.error.message}
        </p>
      ) : null}

      <section aria-label="Tasks" className="rounded-xl border border-slate-200 bg-white shadow-sm">
        {query.isPending ? (
          <div role="status" className="animate-pulse space-y-3 p-4">
            <span className="sr-only">Loading tasks…</span>
            {Array.from({ length: 4 }, (_, i) => (
              <div key={i} className="h-16 rounded bg-slate-100" />
            ))}
          </div>
        ) : query.isError ? (
          <div className="p-4">
            <ErrorBlock error={query.error} onRetry={() => void query.refetch()} />
          </div>
        ) : data && data.tasks.length === 0 ? (
          <div className="px-6 py-14 text-center" data-testid="tasks-empty">
            <h2 className="text-base font-semibold text-slate-900">{state.status === "open" ? "Nothing to do right now" : "No closed tasks yet"}</h2>
            <p className="mx-auto mt-1 max-w-md text-sm text-slate-500">
              {state.status === "open"
                ? "When an alert rule fires for an account in this book, its call to action appears here with a due date and the playbook line."
                : "Tasks you complete or dismiss are listed here."}
            </p>
          </div>
        ) : (
          <ul className={`divide-y divide-slate-100 ${query.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={query.isFetching || undefined}>
            {data?.tasks.map((task) => (
              <TaskItem
                key={task.id}
                task={task}
                today={today}
                canWork
                onComplete={setCompleting}
                dismissing={dismissingId === task.id && dismissAccount.isPending}
                onDismiss={(t) => {
                  setDismissingId(t.id);
                  dismissAccount.mutate({ id: t.id, accountId: t.accountId }, { onSuccess: () => setNotice(`Task for ${t.accountName} dismissed.`) });
                }}
              />
            ))}
          </ul>
        )}
        {data && pageCount > 1 ? (
          <nav aria-label="Pages" className="flex items-center justify-between border-t border-slate-100 px-4 py-3 text-sm">
            <span className="text-slate-500">
              Page {data.page} of {pageCount} · {formatCount(data.total)} tasks
            </span>
            <span className="flex gap-2">
              <button type="button" disabled={data.page <= 1} onClick={() => setState({ page: data.page - 1 })} className={BUTTON.secondary}>
                Previous
              </button>
              <button type="button" disabled={data.page >= pageCount} onClick={() => setState({ page: data.page + 1 })} className={BUTTON.secondary}>
                Next
              </button>
            </span>
          </nav>
        ) : null}
      </section>
      <CompleteTaskDialog task={completing} onClose={() => setCompleting(null)} onDone={setNotice} />
    </div>
  );
}

