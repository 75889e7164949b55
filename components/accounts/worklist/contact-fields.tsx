"use client";

import { useState } from "react";
import { CONTACT_OUTCOME_LABELS, CONTACT_OUTCOMES, type ContactOutcome } from "@/lib/accounts/contact-outcomes";
import { MAX_CONTACT_NOTE_LENGTH } from "@/lib/accounts/worklist-schemas";

const OUTCOME_HINTS: Record<ContactOutcome, string> = {
  reached: "Spoke with them",
  voicemail: "Left a message",
  no_answer: "Nobody picked up",
  email_sent: "Wrote instead",
};

export interface ContactDraft {
  outcome: ContactOutcome | null;
  note: string;
  /** True once a submit found no outcome chosen: the fields say so until one is. */
  missingOutcome: boolean;
  setOutcome: (outcome: ContactOutcome) => void;
  setNote: (note: string) => void;
  /** The chosen outcome for a submit, or null (and the fields ask for one). */
  requireOutcome: () => ContactOutcome | null;
}

/** What logging a contact asks for: an outcome and an optional note (the contact dialog and completing a task). */
export function useContactDraft(): ContactDraft {
  const [outcome, setOutcomeState] = useState<ContactOutcome | null>(null);
  const [note, setNote] = useState("");
  const [missingOutcome, setMissingOutcome] = useState(false);
  return {
    outcome,
    note,
    missingOutcome,
    setOutcome: (next) => {
      setOutcomeState(next);
      setMissingOutcome(false);
    },
    setNote,
    requireOutcome: () => {
      if (!outcome) setMissingOutcome(true);
      return outcome;
    },
  };
}

/** The outcome picker and the note, for a form that logs a contact. `idPrefix` keeps ids unique per form. */
export function ContactFields({ draft, idPrefix, legend = "Outcome" }: { draft: ContactDraft; idPrefix: string; legend?: string }) {
  return (
    <>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">{legend}</legend>
        <div className="mt-2 grid grid-cols-2 gap-2">
          {CONTACT_OUTCOMES.map((o) => (
            <label
              key={o}
              className={`flex cursor-pointer flex-col rounded-lg border px-3 py-2 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-blue-600 ${
                draft.outcome === o ? "border-blue-600 bg-blue-50 ring-1 ring-blue-600" : "border-slate-200 hover:border-slate-300"
              }`}
            >
              <input
                type="radio"
                name={`${idPrefix}-outcome`}
                value={o}
                checked={draft.outcome === o}
                onChange={() => draft.setOutcome(o)}
                className="sr-only"
              />
              <span className="font-medium text-slate-900">{CONTACT_OUTCOME_LABELS[o]}</span>
              <span className="text-xs text-slate-500">{OUTCOME_HINTS[o]}</span>
            </label>
          ))}
        </div>
        {draft.missingOutcome ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            Choose how the contact went.
          </p>
        ) : null}
      </fieldset>

      <label className="mt-4 block text-sm font-medium text-slate-700" htmlFor={`${idPrefix}-note`}>
        Note <span className="font-normal text-slate-400">(optional)</span>
      </label>
      <textarea
        id={`${idPrefix}-note`}
        value={draft.note}
        onChange={(e) => draft.setNote(e.target.value)}
        rows={3}
        maxLength={MAX_CONTACT_NOTE_LENGTH}
        placeholder="What was said, what happens next"
        className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-blue-600 focus:outline-none focus:ring-1 focus:ring-blue-600"
      />
    </>
  );
}
