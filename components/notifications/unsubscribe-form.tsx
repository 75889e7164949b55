"use client";

import { useMutation } from "@tanstack/react-query";
import { sendJson } from "@/lib/http/api-client";
import { buttonClass } from "../button-styles";

type List = "digest" | "immediate" | "all";

const WHAT: Record<List, string> = {
  digest: "the daily digest",
  immediate: "immediate alert emails",
  all: "all emails (the daily digest and immediate alerts)",
};

/** Confirms the unsubscribe the link asked for, or from everything. */
export function UnsubscribeForm({ token, list, digest, immediate }: { token: string; list: List; digest: boolean; immediate: boolean }) {
  const unsubscribe = useMutation({
    mutationFn: (which: List) => sendJson<{ data: { digest: boolean; immediate: boolean } }>("/api/unsubscribe", "POST", { token, list: which }),
  });
  const already = (list === "digest" && !digest) || (list === "immediate" && !immediate) || (list === "all" && !digest && !immediate);
  if (unsubscribe.isSuccess) {
    const which = unsubscribe.variables;
    return (
      <div role="status" className="space-y-2 text-sm text-slate-700" data-testid="unsubscribed">
        <p className="font-medium text-emerald-800">You are unsubscribed from {WHAT[which]}.</p>
        <p>You can turn emails back on any time under Your account → Email.</p>
      </div>
    );
  }
  return (
    <div className="space-y-4 text-sm text-slate-700">
      {already ? <p>You no longer receive {WHAT[list]}.</p> : <p>Stop receiving {WHAT[list]}?</p>}
      {unsubscribe.isError ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
          Could not unsubscribe: {unsubscribe.error.message}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {!already ? (
          <button type="button" onClick={() => unsubscribe.mutate(list)} disabled={unsubscribe.isPending} className={buttonClass("primary")}>
            {unsubscribe.isPending ? "Unsubscribing…" : "Unsubscribe"}
          </button>
        ) : null}
        {list !== "all" && (digest || immediate) ? (
          <button type="button" onClick={() => unsubscribe.mutate("all")} disabled={unsubscribe.isPending} className={buttonClass("secondary")}>
            Unsubscribe from all emails
          </button>
        ) : null}
      </div>
    </div>
  );
}
