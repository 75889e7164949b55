"use client";

import { useId } from "react";

/**
 * One rule filter as a disclosure: "Plan: any" or the values chosen, opening onto a list of
 * checkboxes. Native <details>, so it opens with Enter or Space and every box is tabbable.
 */
export function FilterPicker({
  label,
  options,
  selected,
  onChange,
  format = (v) => v,
  disabled,
}: {
  label: string;
  options: readonly string[];
  selected: readonly string[];
  onChange: (values: string[]) => void;
  format?: (value: string) => string;
  disabled?: boolean;
}) {
  const id = useId();
  // Values chosen earlier that no account has any more stay visible, so they can be removed.
  const all = [...options, ...selected.filter((s) => !options.includes(s))];
  const summary = selected.length === 0 ? "any" : selected.length <= 2 ? selected.map(format).join(", ") : `${selected.length} chosen`;
  return (
    <details className="group relative">
      <summary
        aria-disabled={disabled || undefined}
        className={`flex cursor-pointer list-none items-center gap-1.5 rounded-lg border px-3 py-1.5 text-sm shadow-sm [&::-webkit-details-marker]:hidden ${
          selected.length > 0 ? "border-blue-300 bg-blue-50 text-blue-900" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"
        }`}
      >
        <span className="font-medium">{label}:</span>
        <span className="max-w-[12rem] truncate">{summary}</span>
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 shrink-0 transition-transform group-open:rotate-180" fill="none" stroke="currentColor" strokeWidth={1.8}>
          <path d="M5 8l5 5 5-5" />
        </svg>
      </summary>
      <div className="absolute left-0 z-20 mt-1 max-h-64 w-64 overflow-y-auto rounded-lg border border-slate-200 bg-white p-2 shadow-lg">
        {all.length === 0 ? (
          <p className="px-2 py-1.5 text-sm text-slate-500">No values yet: accounts carry none.</p>
        ) : (
          <fieldset>
            <legend className="sr-only">{label}</legend>
            {all.map((value, i) => (
              <label key={value} htmlFor={`${id}-${i}`} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm text-slate-800 hover:bg-slate-50">
                <input
                  id={`${id}-${i}`}
                  type="checkbox"
                  checked={selected.includes(value)}
                  disabled={disabled}
                  onChange={(e) => onChange(e.target.checked ? [...selected, value] : selected.filter((s) => s !== value))}
                  className="size-4 rounded border-slate-300 text-blue-600"
                />
                <span className="truncate">{format(value)}</span>
              </label>
            ))}
          </fieldset>
        )}
        {selected.length > 0 ? (
          <button type="button" onClick={() => onChange([])} className="mt-1 w-full rounded px-2 py-1.5 text-left text-sm font-medium text-blue-700 hover:bg-blue-50">
            Clear: any {label.toLowerCase()}
          </button>
        ) : null}
      </div>
    </details>
  );
}
