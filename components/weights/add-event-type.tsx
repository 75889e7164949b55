"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiRequestError } from "@/lib/http/api-client";
import { createEventType, scoringKeys } from "@/lib/scoring/query-options";

/** Adds an event type; its weight is then set like any other, through preview and save. */
export function AddEventType({ onAdded }: { onAdded: (key: string) => void }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ key: "", label: "", description: "" });
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: createEventType,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: scoringKeys.view() });
      onAdded(form.key.trim());
      setForm({ key: "", label: "", description: "" });
      setOpen(false);
    },
  });
  const error = mutation.error instanceof ApiRequestError ? mutation.error : null;

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">
        Add event type
      </button>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate(form);
  };
  const input = "mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-blue-300";
  return (
    <form onSubmit={submit} className="rounded-lg border border-slate-200 bg-slate-50 p-4" aria-label="Add event type">
      <div className="grid gap-3 sm:grid-cols-3">
        <label className="text-sm font-medium text-slate-700">
          Key (event name as sent)
          <input className={input} value={form.key} onChange={(e) => setForm({ ...form, key: e.target.value })} required maxLength={100} />
        </label>
        <label className="text-sm font-medium text-slate-700">
          Label
          <input className={input} value={form.label} onChange={(e) => setForm({ ...form, label: e.target.value })} required maxLength={100} />
        </label>
        <label className="text-sm font-medium text-slate-700">
          Description
          <input className={input} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} maxLength={500} />
        </label>
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error.message}
        </p>
      ) : null}
      <div className="mt-3 flex gap-2">
        <button type="submit" disabled={mutation.isPending} className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-700 disabled:opacity-60">
          {mutation.isPending ? "Adding…" : "Add with weight 0"}
        </button>
        <button type="button" onClick={() => setOpen(false)} className="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100">
          Cancel
        </button>
      </div>
    </form>
  );
}
