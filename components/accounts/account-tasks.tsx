"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { TaskRow } from "@/lib/alerts/server/tasks";
import { dayFromIsoDate } from "@/lib/days";
import { useCloseTask } from "@/lib/alerts/mutations";
import { accountTasksOptions } from "@/lib/alerts/query-options";
import { ErrorBlock } from "../query-state";
import { CompleteTaskDialog } from "../tasks/complete-task-dialog";
import { TaskItem } from "../tasks/task-item";

/** The account's tasks from alerts: open ones first (to complete or dismiss), then the last closed ones. */
export function AccountTasks({ accountId, today, canWork }: { accountId: number; today: string; canWork: boolean }) {
  const tasks = useQuery(accountTasksOptions(accountId));
  const { dismiss } = useCloseTask();
  const [completing, setCompleting] = useState<TaskRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const todayDay = dayFromIsoDate(today);

  if (tasks.isPending) {
    return (
      <div role="status" className="h-16 animate-pulse rounded bg-slate-100">
        <span className="sr-only">Loading tasks…</span>
      </div>
    );
  }
  if (tasks.isError) return <ErrorBlock error={tasks.error} onRetry={() => void tasks.refetch()} />;
  if (tasks.data.length === 0) {
    return <p className="rounded-lg border border-dashed border-slate-300 px-4 py-5 text-center text-sm text-slate-500">No tasks. Alert rules create them when this account needs a call.</p>;
  }
  return (
    <div data-testid="account-tasks">
      {notice ? (
        <p role="status" className="mb-3 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {notice}
        </p>
      ) : null}
      {dismiss.isError ? (
        <p role="alert" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          Could not dismiss the task: {dismiss.error.message}
        </p>
      ) : null}
      <ul className="-mx-4 divide-y divide-slate-100 sm:-mx-5">
        {tasks.data.map((task) => (
          <TaskItem
            key={task.id}
            task={task}
            today={todayDay}
            showAccount={false}
            canWork={canWork}
            onComplete={setCompleting}
            dismissing={dismiss.isPending && dismiss.variables.id === task.id}
            onDismiss={(t) => dismiss.mutate({ id: t.id, accountId }, { onSuccess: () => setNotice("Task dismissed.") })}
          />
        ))}
      </ul>
      <CompleteTaskDialog task={completing} onClose={() => setCompleting(null)} onDone={setNotice} />
    </div>
  );
}
