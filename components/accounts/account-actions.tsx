"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { formatDate } from "@/lib/format";
import { accountActivityOptions } from "@/lib/accounts/query-options";
import { BUTTON } from "../ui/button";
import { useHydrated } from "@/lib/use-hydrated";
import { ContactDialog } from "./worklist/contact-dialog";
import { SnoozeDialog } from "./worklist/snooze-dialog";

/** Log a contact or snooze from the account page; shows the snooze in force. */
export function AccountActions({ account, today, canWork }: { account: { id: number; name: string }; today: string; canWork: boolean }) {
  const activity = useQuery(accountActivityOptions(account.id));
  const hydrated = useHydrated();
  const snooze = activity.data?.snooze ?? null;
  const [dialog, setDialog] = useState<"contact" | "snooze" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(timer);
  }, [notice]);

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="account-actions" data-ready={hydrated ? "true" : undefined}>
      {snooze ? (
        <span className="inline-flex items-center rounded-md bg-slate-100 px-2 py-1 text-xs font-medium text-slate-700" data-testid="account-snoozed">
          Snoozed until {formatDate(snooze.until)} by {snooze.by}
        </span>
      ) : null}
      {canWork ? (
        <>
          <button type="button" onClick={() => setDialog("snooze")} className={BUTTON.secondary}>
            {snooze ? "Change snooze" : "Snooze"}
          </button>
          <button type="button" onClick={() => setDialog("contact")} className={BUTTON.primary}>
            Log contact
          </button>
          <ContactDialog account={account} open={dialog === "contact"} onClose={() => setDialog(null)} onLogged={setNotice} />
          <SnoozeDialog
            account={account}
            today={today}
            snoozedUntil={snooze?.until ?? null}
            open={dialog === "snooze"}
            onClose={() => setDialog(null)}
            onDone={setNotice}
          />
        </>
      ) : null}
      <div aria-live="polite" role="status" className="pointer-events-none fixed inset-x-0 bottom-4 z-40 flex justify-center px-4">
        {notice ? <p className="pointer-events-auto rounded-lg bg-slate-900 px-4 py-2.5 text-sm text-white shadow-lg">{notice}</p> : null}
      </div>
    </div>
  );
}
