"use client";

import { useId, type ReactNode } from "react";
import { CopyButton } from "./copy-button";

/**
 * A credential shown once, right after it was created (write keys, read API tokens): it is
 * stored only as a hash, so this is the one chance to copy it. `children` shows how to use it.
 */
export function SecretReveal({
  title,
  secret,
  secretLabel,
  copyLabel,
  onDone,
  testId,
  valueTestId,
  className = "",
  children,
}: {
  title: string;
  secret: string;
  /** The secret field's accessible name, e.g. "New write key". */
  secretLabel: string;
  copyLabel: string;
  onDone: () => void;
  testId: string;
  valueTestId?: string;
  className?: string;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} className={`rounded-xl border border-emerald-200 bg-emerald-50/60 p-4 sm:p-5 ${className}`} data-testid={testId}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 id={`${id}-title`} className="font-semibold text-emerald-900">
            {title}
          </h3>
          <p className="mt-0.5 text-sm text-emerald-800">Copy it now: it is stored only as a hash and will not be shown again.</p>
        </div>
        <button type="button" onClick={onDone} className="rounded-md px-2.5 py-1.5 text-sm font-medium text-emerald-900 hover:bg-emerald-100">
          Done
        </button>
      </div>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-center">
        <label htmlFor={`${id}-value`} className="sr-only">
          {secretLabel}
        </label>
        <input
          id={`${id}-value`}
          readOnly
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-sm text-slate-900"
          data-testid={valueTestId}
        />
        <CopyButton text={secret} label={copyLabel} />
      </div>
      {children ? <div className="mt-4 grid gap-4">{children}</div> : null}
    </section>
  );
}
