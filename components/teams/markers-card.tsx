"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Card } from "@/components/card";
import { ErrorBlock, LoadingBlock } from "@/components/query-state";
import { ApiRequestError, apiFetchData } from "@/lib/http/api-client";
import { formatDate } from "@/lib/format";
import { markersQuery, teamKeys } from "@/lib/teams/query-options";
import { DateInput } from "@/components/date-input";
import { useHydrated } from "@/lib/use-hydrated";
import type { MarkerSummary } from "@/lib/teams/types";

interface Draft {
  date: string;
  title: string;
  description: string;
}

const INPUT =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-sm focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-500/30 aria-[invalid=true]:border-red-500";

function MarkerForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  pending,
  error,
}: {
  initial: Draft;
  submitLabel: string;
  onSubmit: (draft: Draft) => void;
  onCancel?: () => void;
  pending: boolean;
  error: unknown;
}) {
  const id = useId();
  const [draft, setDraft] = useState(initial);
  const field = error instanceof ApiRequestError ? error.field : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(draft);
  };
  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[10rem_1fr]" aria-label={submitLabel}>
      <div>
        <label htmlFor={`${id}-date`} className="text-xs font-medium text-slate-600">
          Date
        </label>
        <DateInput id={`${id}-date`} label="the marker's date" required value={draft.date} onChange={(date) => setDraft({ ...draft, date })} invalid={field === "date"} />
      </div>
      <div>
        <label htmlFor={`${id}-title`} className="text-xs font-medium text-slate-600">
          Title
        </label>
        <input
          id={`${id}-title`}
          required
          maxLength={120}
          value={draft.title}
          onChange={(e) => setDraft({ ...draft, title: e.target.value })}
          placeholder="e.g. New onboarding checklist"
          aria-invalid={field === "title"}
          className={INPUT}
        />
      </div>
      <div className="sm:col-span-2">
        <label htmlFor={`${id}-description`} className="text-xs font-medium text-slate-600">
          Description <span className="font-normal text-slate-400">(optional)</span>
        </label>
        <textarea
          id={`${id}-description`}
          rows={2}
          maxLength={1000}
          value={draft.description}
          onChange={(e) => setDraft({ ...draft, description: e.target.value })}
          aria-invalid={field === "description"}
          className={INPUT}
        />
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700 sm:col-span-2">
          {error instanceof Error ? error.message : "Could not save the marker."}
        </p>
      ) : null}
      <div className="flex gap-2 sm:col-span-2">
        <button type="submit" disabled={pending} className="rounded-lg bg-blue-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-blue-700 disabled:opacity-60">
          {pending ? "Saving…" : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel} className="rounded-lg px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100">
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** The change markers: listed for everyone; created, edited and deleted by managers and admins. */
export function MarkersCard({ canEdit, today }: { canEdit: boolean; today: string }) {
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const markers = useQuery(markersQuery());
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);

  const invalidate = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: teamKeys.markers }),
      queryClient.invalidateQueries({ queryKey: [...teamKeys.all, "compare"] }),
    ]);
  };
  const create = useMutation({
    mutationFn: (draft: Draft) => apiFetchData<MarkerSummary>("/api/change-markers", { method: "POST", body: JSON.stringify(draft) }),
    onSuccess: async () => {
      setAdding(false);
      await invalidate();
    },
  });
  const update = useMutation({
    mutationFn: ({ id, draft }: { id: number; draft: Draft }) =>
      apiFetchData<MarkerSummary>(`/api/change-markers/${id}`, { method: "PATCH", body: JSON.stringify(draft) }),
    onSuccess: async () => {
      setEditing(null);
      await invalidate();
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => apiFetchData<{ id: number }>(`/api/change-markers/${id}`, { method: "DELETE" }),
    onSuccess: async () => {
      setConfirming(null);
      await invalidate();
    },
  });

  return (
    <div data-testid="markers-card" data-hydrated={hydrated}>
    <Card
      title="Change markers"
      description="Dated changes (a launch, a pricing change, an onboarding programme), drawn on every time chart"
      actions={
        canEdit && !adding ? (
          <button
            type="button"
            onClick={() => {
              create.reset();
              setAdding(true);
            }}
            className="rounded-lg bg-blue-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-blue-700"
          >
            Add marker
          </button>
        ) : null
      }
    >
      {adding ? (
        <div className="mb-4 rounded-lg border border-blue-200 bg-blue-50/40 p-3">
          <MarkerForm
            initial={{ date: today, title: "", description: "" }}
            submitLabel="Add marker"
            onSubmit={(draft) => create.mutate(draft)}
            onCancel={() => setAdding(false)}
            pending={create.isPending}
            error={create.error}
          />
        </div>
      ) : null}
      {markers.isPending ? (
        <LoadingBlock label="Loading change markers" height={80} />
      ) : markers.isError ? (
        <ErrorBlock error={markers.error} onRetry={() => void markers.refetch()} />
      ) : markers.data.length === 0 ? (
        <p className="text-sm text-slate-500">No change markers yet.{canEdit ? " Add one to see it on the charts." : ""}</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Change markers">
          {markers.data.map((m) => (
            <li key={m.id} className="py-3" data-testid="marker-item">
              {editing === m.id ? (
                <MarkerForm
                  initial={{ date: m.date, title: m.title, description: m.description }}
                  submitLabel="Save marker"
                  onSubmit={(draft) => update.mutate({ id: m.id, draft })}
                  onCancel={() => setEditing(null)}
                  pending={update.isPending}
                  error={update.error}
                />
              ) : (
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="text-sm font-medium text-slate-900">
                      <span className="mr-2 inline-block rounded bg-purple-50 px-1.5 py-0.5 text-xs font-medium tabular-nums text-purple-800">{formatDate(m.date)}</span>
                      {m.title}
                    </p>
                    {m.description ? <p className="mt-1 text-sm text-slate-600">{m.description}</p> : null}
                  </div>
                  {canEdit ? (
                    confirming === m.id ? (
                      <div className="flex items-center gap-2 text-sm" role="group" aria-label={`Confirm deleting ${m.title}`}>
                        <span className="text-slate-600">Delete this marker?</span>
                        <button
                          type="button"
                          onClick={() => remove.mutate(m.id)}
                          disabled={remove.isPending}
                          className="rounded-md bg-red-600 px-2.5 py-1 font-medium text-white hover:bg-red-700 disabled:opacity-60"
                        >
                          Delete
                        </button>
                        <button type="button" onClick={() => setConfirming(null)} className="rounded-md px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-100">
                          Keep
                        </button>
                      </div>
                    ) : (
                      <div className="flex gap-1">
                        <button
                          type="button"
                          onClick={() => {
                            update.reset();
                            setEditing(m.id);
                          }}
                          aria-label={`Edit ${m.title}`}
                          className="rounded-md px-2.5 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100"
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          onClick={() => setConfirming(m.id)}
                          aria-label={`Delete ${m.title}`}
                          className="rounded-md px-2.5 py-1 text-sm font-medium text-red-700 hover:bg-red-50"
                        >
                          Delete
                        </button>
                      </div>
                    )
                  ) : null}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.isError ? <ErrorBlock error={remove.error} /> : null}
    </Card>
    </div>
  );
}
