"use client";

import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useSavePreferences } from "@/lib/alerts/mutations";
import { preferencesOptions } from "@/lib/alerts/query-options";

function Toggle({ label, hint, checked, disabled, onChange, testId }: { label: string; hint: string; checked: boolean; disabled: boolean; onChange: (v: boolean) => void; testId: string }) {
  const id = useId();
  return (
    <div className="flex items-start justify-between gap-4 py-3">
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-900">
          {label}
        </label>
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
          {hint}
        </p>
      </div>
      <input
        id={id}
        type="checkbox"
        role="switch"
        aria-describedby={`${id}-hint`}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={testId}
        className="mt-0.5 h-5 w-9 shrink-0 cursor-pointer appearance-none rounded-full bg-slate-300 transition-colors before:block before:size-4 before:translate-x-0.5 before:rounded-full before:bg-white before:shadow before:transition-transform checked:bg-blue-600 checked:before:translate-x-[1.125rem] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:opacity-50"
      />
    </div>
  );
}

/** The person's email choices: the daily digest and immediate alerts (every email also has an unsubscribe link). */
export function EmailPreferences({ hasBook }: { hasBook: boolean }) {
  const preferences = useQuery(preferencesOptions());
  const save = useSavePreferences();
  if (preferences.isPending) {
    return (
      <div role="status" className="h-24 animate-pulse rounded bg-slate-100">
        <span className="sr-only">Loading your email preferences…</span>
      </div>
    );
  }
  if (preferences.isError) {
    return (
      <p role="alert" className="text-sm text-red-700">
        Could not load your email preferences: {preferences.error.message}
      </p>
    );
  }
  const current = save.isPending && save.variables ? save.variables : preferences.data;
  return (
    <div>
      <div className="divide-y divide-slate-100">
        <Toggle
          label="Daily digest"
          hint={hasBook ? "Each morning: your tasks, yesterday's alerts on your book and renewals coming up." : "Sent to people with a book of accounts."}
          checked={current.digest}
          disabled={save.isPending}
          onChange={(digest) => save.mutate({ ...current, digest })}
          testId="pref-digest"
        />
        <Toggle
          label="Immediate alerts"
          hint="An email as soon as a rule that emails fires for one of your accounts."
          checked={current.immediate}
          disabled={save.isPending}
          onChange={(immediate) => save.mutate({ ...current, immediate })}
          testId="pref-immediate"
        />
      </div>
      <p role="status" aria-live="polite" className="mt-2 text-xs text-slate-500">
        {save.isError ? <span className="text-red-700">Could not save: {save.error.message}</span> : save.isSuccess ? "Saved." : ""}
      </p>
    </div>
  );
}
