"use client";

import { useId, useRef, useState, type KeyboardEvent } from "react";
import { DATE_TEXT_HINT, parseDateText } from "@/lib/date-text";
import { formatDate } from "@/lib/format";

export interface DateInputProps {
  id: string;
  /** ISO date ("2025-12-08"), or "" for none. */
  value: string;
  /**
   * Called with an ISO date, or "" when cleared. When typed text that is not a valid date is
   * left, it is called with "" and `valid` false, so a form never submits a date the field no
   * longer shows (a parent may keep its last value instead, e.g. a filter).
   */
  onChange: (iso: string, valid: boolean) => void;
  min?: string;
  max?: string;
  required?: boolean;
  /** Names the field in the calendar button's label ("Choose the snooze date from a calendar"). */
  label: string;
  invalid?: boolean;
  describedBy?: string;
  className?: string;
}

const INPUT_CLASS =
  "w-full rounded-lg border border-slate-300 bg-white py-1.5 pl-3 pr-9 text-sm text-slate-900 shadow-sm focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-500/30 aria-[invalid=true]:border-red-400";

/**
 * A date field that shows and takes dates in the app's own format ("8 Dec 2025"), never the
 * browser's locale format (a native date input shows mm/dd/yyyy in an American browser beside
 * "8 Dec 2025" everywhere else). Type the date, or pick it from the browser's calendar (the
 * button opens the native picker of a hidden date input, so keyboard and phone pickers work).
 */
export function DateInput({ id, value, onChange, min, max, required, label, invalid, describedBy, className = "" }: DateInputProps) {
  const [text, setText] = useState(() => (value ? formatDate(value) : ""));
  const [problem, setProblem] = useState<string | null>(null);
  const [focused, setFocused] = useState(false);
  const [shown, setShown] = useState(value);
  // The last value this field itself reported: when it comes back as `value`, the text stays as typed.
  const [emitted, setEmitted] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const problemId = useId();

  // A value set from outside (a preset, the URL, a reset) replaces the text unless it is being typed.
  if (value !== shown) {
    setShown(value);
    if (!focused && value !== emitted) setText(value ? formatDate(value) : "");
  }

  function emit(next: string, valid: boolean) {
    setEmitted(next);
    onChange(next, valid);
  }

  function outOfRange(iso: string): string | null {
    if (min && iso < min) return `The date must be on or after ${formatDate(min)}.`;
    if (max && iso > max) return `The date must be on or before ${formatDate(max)}.`;
    return null;
  }

  /** Applies the typed text: a valid date goes to the parent; anything else is named. Returns whether it was accepted. */
  function commit(next: string, final: boolean): boolean {
    if (next.trim() === "") {
      setProblem(final && required ? "A date is required." : null);
      if (value !== "") emit("", true);
      return !required;
    }
    const iso = parseDateText(next);
    const issue = iso === null ? DATE_TEXT_HINT : outOfRange(iso);
    if (iso === null || issue) {
      if (final) {
        setProblem(issue);
        if (value !== "") emit("", false);
      }
      return false;
    }
    setProblem(null);
    if (iso !== value) emit(iso, true);
    if (final) setText(formatDate(iso));
    return true;
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    // Enter submits the form: only with a date that was understood.
    if (event.key === "Enter" && !commit(text, true)) event.preventDefault();
  }

  function openPicker() {
    const input = picker.current;
    if (!input) return;
    try {
      input.showPicker();
    } catch {
      input.focus();
    }
  }

  const describedByIds = [describedBy, problem ? problemId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`min-w-0 ${className}`}>
      <div className="relative">
        <input
          id={id}
          type="text"
          inputMode="text"
          autoComplete="off"
          placeholder="e.g. 8 Dec 2025"
          value={text}
          required={required}
          onFocus={() => setFocused(true)}
          onChange={(e) => {
            setText(e.target.value);
            commit(e.target.value, false);
          }}
          onBlur={() => {
            setFocused(false);
            commit(text, true);
          }}
          onKeyDown={onKeyDown}
          aria-invalid={invalid || problem ? true : undefined}
          aria-describedby={describedByIds}
          className={INPUT_CLASS}
        />
        {/* The browser's own calendar, opened by the button below; never shown or focused itself. */}
        <input
          ref={picker}
          type="date"
          tabIndex={-1}
          aria-hidden="true"
          value={value}
          min={min}
          max={max}
          onChange={(e) => {
            setProblem(null);
            setText(e.target.value ? formatDate(e.target.value) : "");
            emit(e.target.value, true);
          }}
          className="pointer-events-none absolute inset-y-0 right-0 w-9 opacity-0"
        />
        <button
          type="button"
          onClick={openPicker}
          aria-label={`Choose ${label} from a calendar`}
          className="absolute inset-y-0 right-0 flex w-9 items-center justify-center rounded-r-lg text-slate-500 hover:text-slate-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/40"
        >
          <svg aria-hidden="true" viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
            <path d="M7 3v3M17 3v3M4 8h16M5 5h14a1 1 0 011 1v13a1 1 0 01-1 1H5a1 1 0 01-1-1V6a1 1 0 011-1z" />
          </svg>
        </button>
      </div>
      {problem ? (
        <p id={problemId} role="alert" className="mt-1 text-xs text-red-700">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
