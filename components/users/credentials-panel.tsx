"use client";

import { useState } from "react";

function CopyRow({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex items-center justify-between gap-3 py-2">
      <div className="min-w-0">
        <dt className="text-xs text-slate-500">{label}</dt>
        <dd className="truncate font-mono text-sm text-slate-900" data-testid={`credential-${label.toLowerCase()}`}>
          {value}
        </dd>
      </div>
      <button
        type="button"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(value);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          } catch {
            setCopied(false);
          }
        }}
        className="shrink-0 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
        aria-label={`Copy ${label.toLowerCase()}`}
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}

/** Sign-in details to hand over once, each with a copy button. */
export function CredentialsPanel({ email, password }: { email: string; password: string }) {
  return (
    <dl className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-slate-50 px-4">
      <CopyRow label="Email" value={email} />
      <CopyRow label="Password" value={password} />
    </dl>
  );
}
