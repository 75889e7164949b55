"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { dayFromIsoDate, dayFromMs } from "@/lib/days";
import { formatDateTime, formatRelativeDay } from "@/lib/format";
import { accountActivityOptions } from "@/lib/accounts/query-options";
import { useAddNote } from "@/lib/accounts/worklist-query-options";
import type { ContactEntry, NoteEntry } from "@/lib/accounts/server/worklist";
import { CONTACT_OUTCOME_LABELS } from "@/lib/accounts/contact-outcomes";
import { MAX_NOTE_LENGTH } from "@/lib/accounts/worklist-schemas";
import { InlineQueryError, LoadingLines } from "../query-state";
import { BUTTON } from "../ui/button";

type Entry = { kind: "contact"; at: number; contact: ContactEntry } | { kind: "note"; at: number; note: NoteEntry };

const OUTCOME_TONES = {
  reached: "bg-emerald-100 text-emerald-800",
  voicemail: "bg-amber-100 text-amber-800",
  no_answer: "bg-slate-200 text-slate-700",
  email_sent: "bg-blue-100 text-blue-800",
} as const;

function NoteForm({ accountId }: { accountId: number }) {
  const [body, setBody] = useState("");
  const [empty, setEmpty] = useState(false);
  const add = useAddNote(accountId);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) {
      setEmpty(true);
      return;
    }
    add.mutate({ body }, { onSuccess: () => setBody("") });
  }
  return (
    <form onSubmit={submit} noValidate className="mb-4">
      <label htmlFor={`note-${accountId}`} className="sr-only">
        Add a note
      </label>
      <textarea
        id={`note-${accountId}`}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          setEmpty(false);
        }}
        rows={2}
        maxLength={MAX_NOTE_LENGTH}
        placeholder="Add a note for the team…"
        aria-invalid={empty ? true : undefined}
        className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-blue-600 focus:outline-none focus:ring-1 focus:ring-blue-600"
      />
      <div className="mt-2 flex items-center justify-between gap-2">
        <p role="alert" className="text-sm text-red-700">
          {empty ? "Write the note first." : add.isError ? `Could not save the note: ${add.error.message}` : ""}
        </p>
        <button type="submit" disabled={add.isPending} className={BUTTON.secondary}>
          {add.isPending ? "Saving…" : "Add note"}
        </button>
      </div>
    </form>
  );
}

/** Contacts and notes on an account, newest first, with a form to add a note. */
export function ActivityPanel({ accountId, today, canWork }: { accountId: number; today: string; canWork: boolean }) {
  const activity = useQuery(accountActivityOptions(accountId));
  const todayDay = dayFromIsoDate(today);
  const entries: Entry[] = activity.data
    ? [
        ...activity.data.contacts.map((contact): Entry => ({ kind: "contact", at: contact.contactedAt, contact })),
        ...activity.data.notes.map((note): Entry => ({ kind: "note", at: note.createdAt, note })),
      ].sort((a, b) => b.at - a.at)
    : [];

  return (
    <div>
      {canWork ? <NoteForm accountId={accountId} /> : null}
      {activity.isPending ? (
        <LoadingLines label="Loading activity…" />
      ) : activity.isError ? (
        <InlineQueryError what="the activity" error={activity.error} onRetry={() => void activity.refetch()} />
      ) : entries.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
          No contacts or notes yet.{canWork ? " Log the first contact when you reach out." : ""}
        </p>
      ) : (
        <ol className="relative space-y-4 border-l border-slate-200 pl-5" data-testid="activity-log">
          {entries.map((e) => (
            <li key={`${e.kind}-${e.kind === "contact" ? e.contact.id : e.note.id}`} className="relative">
              <span aria-hidden="true" className={`absolute -left-[1.6rem] top-1 size-2.5 rounded-full ring-4 ring-white ${e.kind === "contact" ? "bg-blue-500" : "bg-slate-400"}`} />
              {e.kind === "contact" ? (
                <div>
                  <p className="text-sm text-slate-800">
                    <span className={`mr-1.5 rounded px-1.5 py-0.5 text-xs font-medium ${OUTCOME_TONES[e.contact.outcome]}`}>
                      {CONTACT_OUTCOME_LABELS[e.contact.outcome]}
                    </span>
                    Contact by <span className="font-medium">{e.contact.by}</span>
                  </p>
                  {e.contact.note ? <p className="mt-1 whitespace-pre-line text-sm text-slate-600">{e.contact.note}</p> : null}
                </div>
              ) : (
                <div>
                  <p className="text-sm text-slate-800">
                    Note by <span className="font-medium">{e.note.by}</span>
                  </p>
                  <p className="mt-1 whitespace-pre-line rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700">{e.note.body}</p>
                </div>
              )}
              <p className="mt-0.5 text-xs text-slate-500" title={formatDateTime(e.at)}>
                {formatRelativeDay(dayFromMs(e.at), todayDay)} · {formatDateTime(e.at)}
              </p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
