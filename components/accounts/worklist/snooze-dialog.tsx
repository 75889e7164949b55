"use client";

import { useState, type FormEvent } from "react";
import { dayFromIsoDate, isoDateFromDay } from "@/lib/days";
import { formatDate } from "@/lib/format";
import { useSnooze, useUnsnooze } from "@/lib/accounts/worklist-query-options";
import { MAX_SNOOZE_DAYS, snoozeDateProblem } from "@/lib/accounts/worklist-schemas";
import { DateInput } from "@/components/date-input";
import { Dialog } from "@/components/ui/dialog";
import { DialogActions } from "@/components/ui/dialog-actions";
import { BUTTON } from "@/components/ui/button";

const QUICK_PICKS = [
  { label: "1 week", days: 7 },
  { label: "2 weeks", days: 14 },
  { label: "1 month", days: 30 },
  { label: "3 months", days: 90 },
] as const;

/** Take an account off the lists until a date (or put a snoozed one back now). */
export function SnoozeDialog({
  account,
  today,
  snoozedUntil,
  open,
  onClose,
  onDone,
}: {
  account: { id: number; name: string };
  /** Today as the server sees it (ISO), so the browser's time zone does not shift the dates. */
  today: string;
  snoozedUntil: string | null;
  open: boolean;
  onClose: () => void;
  onDone?: (message: string) => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={snoozedUntil ? "Snoozed account" : "Snooze account"} description={account.name}>
      <SnoozeForm account={account} today={today} snoozedUntil={snoozedUntil} onClose={onClose} onDone={onDone} />
    </Dialog>
  );
}

function SnoozeForm({
  account,
  today,
  snoozedUntil,
  onClose,
  onDone,
}: {
  account: { id: number; name: string };
  today: string;
  snoozedUntil: string | null;
  onClose: () => void;
  onDone?: (message: string) => void;
}) {
  const todayDay = dayFromIsoDate(today);
  const [until, setUntil] = useState(snoozedUntil ?? isoDateFromDay(todayDay + 14));
  const [problem, setProblem] = useState<string | null>(null);
  const snooze = useSnooze(account.id);
  const unsnooze = useUnsnooze(account.id);
  const error = snooze.error ?? unsnooze.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    const p = snoozeDateProblem(until, todayDay);
    setProblem(p);
    if (p) return;
    snooze.mutate(
      { until },
      {
        onSuccess: () => {
          onDone?.(`${account.name} is snoozed until ${formatDate(until)}.`);
          onClose();
        },
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <p className="text-sm text-slate-600">
        {snoozedUntil
          ? `Hidden from the call lists until ${formatDate(snoozedUntil)}. Change the date or put it back now.`
          : "Hide this account from the call lists until a date; it comes back on its own that day."}
      </p>
      <div className="mt-4 flex flex-wrap gap-2" role="group" aria-label="Quick choices">
        {QUICK_PICKS.map((pick) => {
          const date = isoDateFromDay(todayDay + pick.days);
          return (
            <button
              key={pick.days}
              type="button"
              onClick={() => {
                setUntil(date);
                setProblem(null);
              }}
              aria-pressed={until === date}
              className={`rounded-full border px-3 py-1 text-sm ${until === date ? "border-blue-600 bg-blue-50 text-blue-700" : "border-slate-300 text-slate-700 hover:bg-slate-50"}`}
            >
              {pick.label}
            </button>
          );
        })}
      </div>
      <label htmlFor={`snooze-until-${account.id}`} className="mt-4 block text-sm font-medium text-slate-700">
        Snooze until
      </label>
      <DateInput
        id={`snooze-until-${account.id}`}
        label="the snooze date"
        required
        className="mt-1"
        value={until}
        min={isoDateFromDay(todayDay + 1)}
        max={isoDateFromDay(todayDay + MAX_SNOOZE_DAYS)}
        onChange={(next) => {
          setUntil(next);
          setProblem(null);
        }}
        invalid={Boolean(problem)}
        describedBy={problem ? `snooze-problem-${account.id}` : undefined}
      />
      {problem ? (
        <p id={`snooze-problem-${account.id}`} role="alert" className="mt-1 text-sm text-red-700">
          The date {problem}.
        </p>
      ) : null}
      <DialogActions
        error={error?.message}
        pending={snooze.isPending}
        submitLabel="Snooze"
        onCancel={onClose}
        extra={
          snoozedUntil ? (
            <button
              type="button"
              disabled={unsnooze.isPending}
              onClick={() =>
                unsnooze.mutate(undefined, {
                  onSuccess: () => {
                    onDone?.(`${account.name} is back on the call lists.`);
                    onClose();
                  },
                })
              }
              className={`${BUTTON.secondary} sm:mr-auto`}
            >
              Put back now
            </button>
          ) : null
        }
      />
    </form>
  );
}
