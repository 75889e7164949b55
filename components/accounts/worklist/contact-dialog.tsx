"use client";

import type { FormEvent } from "react";
import { useLogContact } from "@/lib/accounts/worklist-query-options";
import { CONTACT_OUTCOME_LABELS } from "@/lib/accounts/contact-outcomes";
import { ContactFields, useContactDraft } from "./contact-fields";
import { Dialog } from "@/components/ui/dialog";
import { BUTTON } from "@/components/ui/button";

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
  const draft = useContactDraft();
  const log = useLogContact(account.id);

  function submit(event: FormEvent) {
    event.preventDefault();
    const outcome = draft.requireOutcome();
    if (!outcome) return;
    log.mutate(
      { outcome, note: draft.note },
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
      <ContactFields draft={draft} idPrefix={`contact-${account.id}`} />

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
