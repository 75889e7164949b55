"use client";

import { useState, type FormEvent } from "react";
import { useLogContact } from "@/lib/queries/worklist";
import { CONTACT_OUTCOME_LABELS, CONTACT_OUTCOMES, type ContactOutcome } from "@/lib/worklist/outcomes";
import { MAX_CONTACT_NOTE_LENGTH } from "@/lib/worklist/schemas";
import { Dialog } from "../ui/dialog";
import { BUTTON } from "../ui/button";

const OUTCOME_HINTS: Record<ContactOutcome, string> = {
  reached: "Spoke with them",
  voicemail: "Left a message",
  no_answer: "Nobody picked up",
  email_sent: "Wrote instead",
};

/** Log a call or email: the outcome and an optional line, as the signed-in user, now. */
export function ContactDialog({
  account,
  open,
  onClose,
  onLogged,
}: {
  account: { id: number; name: string };
  open: boolean;
  onClose: () => void;
  onLogged?: (message: string) => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title="Log contact" description={account.name}>
      {/* Mounted afresh each time the dialog opens, so the form starts empty. */}
      <ContactForm account={account} onClose={onClose} onLogged={onLogged} />
    </Dialog>
  );
}

function ContactForm({ account, onClose, onLogged }: { account: { id: number; name: string }; onClose: () => void; onLogged?: (message: string) => void }) {
  const [outcome, setOutcome] = useState<ContactOutcome | null>(null);
  const [note, setNote] = useState("");
  const [missingOutcome, setMissingOutcome] = useState(false);
  const log = useLogContact(account.id);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!outcome) {
      setMissingOutcome(true);
      return;
    }
    log.mutate(
      { outcome, note },
      {
        onSuccess: () => {
          onLogged?.(`Contact with ${account.name} logged: ${CONTACT_OUTCOME_LABELS[outcome].toLowerCase()}.`);
          onClose();
        },
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Outcome</legend>
        <div className="mt-2 grid grid-cols-2 gap-2">
          {CONTACT_OUTCOMES.map((o) => (
            <label
              key={o}
              className={`flex cursor-pointer flex-col rounded-lg border px-3 py-2 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-blue-600 ${
                outcome === o ? "border-blue-600 bg-blue-50 ring-1 ring-blue-600" : "border-slate-200 hover:border-slate-300"
              }`}
            >
              <input
                type="radio"
                name="outcome"
                value={o}
                checked={outcome === o}
                onChange={() => {
                  setOutcome(o);
                  setMissingOutcome(false);
                }}
                className="sr-only"
              />
              <span className="font-medium text-slate-900">{CONTACT_OUTCOME_LABELS[o]}</span>
              <span className="text-xs text-slate-500">{OUTCOME_HINTS[o]}</span>
            </label>
          ))}
        </div>
        {missingOutcome ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            Choose how the contact went.
          </p>
        ) : null}
      </fieldset>

      <label className="mt-4 block text-sm font-medium text-slate-700" htmlFor={`contact-note-${account.id}`}>
        Note <span className="font-normal text-slate-400">(optional)</span>
      </label>
      <textarea
        id={`contact-note-${account.id}`}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        rows={3}
        maxLength={MAX_CONTACT_NOTE_LENGTH}
        placeholder="What was said, what happens next"
        className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-blue-600 focus:outline-none focus:ring-1 focus:ring-blue-600"
      />

      {log.isError ? (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          Could not log the contact: {log.error.message}
        </p>
      ) : null}

      <div className="mt-5 flex justify-end gap-2">
        <button type="button" onClick={onClose} className={BUTTON.secondary}>
          Cancel
        </button>
        <button type="submit" disabled={log.isPending} className={BUTTON.primary}>
          {log.isPending ? "Saving…" : "Log contact"}
        </button>
      </div>
    </form>
  );
}
