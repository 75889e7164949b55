"use client";

import type { FormEvent } from "react";
import { useCloseTask } from "@/lib/alerts/mutations";
import { CONTACT_OUTCOME_LABELS } from "@/lib/accounts/contact-outcomes";
import { ContactFields, useContactDraft } from "../accounts/worklist/contact-fields";
import { Dialog } from "../ui/dialog";
import { DialogActions } from "../ui/dialog-actions";

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
  const draft = useContactDraft();
  const { complete } = useCloseTask();

  function submit(event: FormEvent) {
    event.preventDefault();
    const outcome = draft.requireOutcome();
    if (!outcome) return;
    complete.mutate(
      { id: task.id, accountId: task.accountId, outcome, note: draft.note },
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
      <ContactFields draft={draft} idPrefix={`task-${task.id}`} legend="How did the contact go?" />
      <DialogActions
        error={complete.isError ? `Could not complete the task: ${complete.error.message}` : null}
        pending={complete.isPending}
        submitLabel="Log contact and complete"
        onCancel={onClose}
      />
    </form>
  );
}
