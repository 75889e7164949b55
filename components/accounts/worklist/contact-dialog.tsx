"use client";

import type { FormEvent } from "react";
import { useLogContact } from "@/lib/accounts/worklist-query-options";
import { CONTACT_OUTCOME_LABELS } from "@/lib/accounts/contact-outcomes";
import { ContactFields, useContactDraft } from "./contact-fields";
import { Dialog } from "@/components/ui/dialog";
import { DialogActions } from "@/components/ui/dialog-actions";

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

      <DialogActions
        error={log.isError ? `Could not log the contact: ${log.error.message}` : null}
        pending={log.isPending}
        submitLabel="Log contact"
        onCancel={onClose}
      />
    </form>
  );
}
