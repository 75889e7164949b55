"use client";

import { useState, type FormEvent } from "react";
import { useCloseTask } from "@/lib/queries/alert-mutations";
import { CONTACT_OUTCOME_LABELS, CONTACT_OUTCOMES, type ContactOutcome } from "@/lib/worklist/outcomes";
import { BUTTON } from "../ui/button";
import { Dialog } from "../ui/dialog";

export interface TaskForDialog {
  id: number;
  accountId: number;
  accountName: string;
  title: string;
  playbook: string;
}

/** Completing a task is logging the contact it asked for: the outcome and a note, as the signed-in user. */
export function CompleteTaskDialog({ task, onClose, onDone }: { task: TaskForDialog | null; onClose: () => void; onDone: (message: string) => void }) {
  return (
    <Dialog open={task !== null} onClose={onClose} title="Complete task" description={task?.accountName}>
      {task ? <CompleteForm key={task.id} task={task} onClose={onClose} onDone={onDone} /> : null}
    </Dialog>
  );
}

function CompleteForm({ task, onClose, onDone }: { task: TaskForDialog; onClose: () => void; onDone: (message: string) => void }) {
  const [outcome, setOutcome] = useState<ContactOutcome | null>(null);
  const [note, setNote] = useState("");
  const [missing, setMissing] = useState(false);
  const { complete } = useCloseTask();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!outcome) {
      setMissing(true);
      return;
    }
    complete.mutate(
      { id: task.id, accountId: task.accountId, outcome, note },
      {
        onSuccess: () => {
          onDone(`Task done: contact with ${task.accountName} logged (${CONTACT_OUTCOME_LABELS[outcome].toLowerCase()}).`);
          onClose();
        },
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <div className="mb-4 rounded-lg bg-slate-50 px-3 py-2 text-sm">
        <p className="font-medium text-slate-900">{task.title}</p>
        <p className="mt-0.5 text-slate-600">{task.playbook}</p>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">How did the contact go?</legend>
        <div className="mt-2 grid grid-cols-2 gap-2">
          {CONTACT_OUTCOMES.map((o) => (
            <label
              key={o}
              className={`flex cursor-pointer items-center rounded-lg border px-3 py-2 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-blue-600 ${
                outcome === o ? "border-blue-600 bg-blue-50 text-blue-900 ring-1 ring-blue-600" : "border-slate-200 text-slate-800 hover:border-slate-300"
              }`}
            >
              <input
                type="radio"
                name={`task-outcome-${task.id}`}
                value={o}
                checked={outcome === o}
                onChange={() => {
                  setOutcome(o);
                  setMissing(false);
                }}
                className="sr-only"
              />
              {CONTACT_OUTCOME_LABELS[o]}
            </label>
          ))}
        </div>
        {missing ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            Choose how the contact went.
          </p>
        ) : null}
      </fieldset>
      <label className="mt-4 block text-sm font-medium text-slate-700" htmlFor={`task-note-${task.id}`}>
        Note <span className="font-normal text-slate-400">(optional)</span>
      </label>
      <textarea
        id={`task-note-${task.id}`}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        rows={3}
        maxLength={2000}
        placeholder="What was said, what happens next"
        className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-blue-600 focus:outline-none focus:ring-1 focus:ring-blue-600"
      />
      {complete.isError ? (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          Could not complete the task: {complete.error.message}
        </p>
      ) : null}
      <div className="mt-5 flex justify-end gap-2">
        <button type="button" onClick={onClose} className={BUTTON.secondary}>
          Cancel
        </button>
        <button type="submit" disabled={complete.isPending} className={BUTTON.primary}>
          {complete.isPending ? "Saving…" : "Log contact and complete"}
        </button>
      </div>
    </form>
  );
}
