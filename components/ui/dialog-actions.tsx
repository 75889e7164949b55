import type { ReactNode } from "react";
import { BUTTON } from "./button";

/**
 * The foot of a form in a dialog: what went wrong (an alert, above the buttons), then any
 * extra buttons, Cancel and the submit button, which is disabled and says so while the form
 * is being saved. Render it inside the <form>: the submit button submits it.
 */
export function DialogActions({
  error,
  pending,
  submitLabel,
  pendingLabel = "Saving…",
  onCancel,
  extra,
}: {
  /** The message shown when saving failed; nothing is shown while it is null or undefined. */
  error?: ReactNode;
  /** Saving is under way. */
  pending: boolean;
  submitLabel: string;
  pendingLabel?: string;
  onCancel: () => void;
  /** Buttons before Cancel (each sets its own type="button" and look). */
  extra?: ReactNode;
}) {
  return (
    <>
      {error ? (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        {extra}
        <button type="button" onClick={onCancel} className={BUTTON.secondary}>
          Cancel
        </button>
        <button type="submit" disabled={pending} className={BUTTON.primary}>
          {pending ? pendingLabel : submitLabel}
        </button>
      </div>
    </>
  );
}
