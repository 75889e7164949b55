"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatCount, formatPercent, formatPoints } from "@/lib/format";
import { ApiRequestError } from "@/lib/http/api-client";
import { deleteEventType, scoringKeys, updateEventType } from "@/lib/scoring/query-options";
import type { ScoringDraft, DraftErrors } from "@/lib/scoring/draft";
import type { EventTypeStats } from "@/lib/scoring/server/scoring-config";
import { BUTTON } from "../ui/button";
import { Dialog } from "../ui/dialog";

function LabelEditor({ type }: { type: EventTypeStats }) {
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(type.label);
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (next: string) => updateEventType(type.id, { label: next }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: scoringKeys.view() });
      setEditing(false);
    },
  });
  if (!editing) {
    return (
      <span className="inline-flex items-center gap-1">
        <span className="font-medium text-slate-900">{type.label}</span>
        <button type="button" onClick={() => setEditing(true)} className="rounded px-1 text-xs text-slate-400 hover:bg-slate-100 hover:text-slate-700" aria-label={`Rename ${type.label}`}>
          Rename
        </button>
      </span>
    );
  }
  return (
    <form
      className="flex items-center gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate(label);
      }}
    >
      <input
        autoFocus
        aria-label={`New label for ${type.key}`}
        value={label}
        onChange={(e) => setLabel(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setEditing(false);
        }}
        className="w-40 rounded border border-slate-300 px-2 py-0.5 text-sm"
        maxLength={100}
      />
      <button type="submit" className="rounded bg-blue-600 px-2 py-0.5 text-xs font-medium text-white" disabled={mutation.isPending}>
        Save
      </button>
      {mutation.error instanceof ApiRequestError ? <span role="alert" className="text-xs text-red-700">{mutation.error.message}</span> : null}
    </form>
  );
}

function DeleteButton({ type }: { type: EventTypeStats }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const mutation = useMutation({
    mutationFn: () => deleteEventType(type.id),
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: scoringKeys.view() });
    },
  });
  return (
    <>
      <button
        type="button"
        onClick={() => {
          mutation.reset();
          setConfirming(true);
        }}
        className="rounded px-2 py-1 text-xs text-slate-500 hover:bg-red-50 hover:text-red-700"
        aria-label={`Delete ${type.label}`}
      >
        Delete
      </button>
      <Dialog open={confirming} onClose={() => setConfirming(false)} title={`Delete “${type.label}”?`}>
        <p className="text-sm text-slate-600">The event type goes from the list. This is only possible while it has no events.</p>
        {mutation.error instanceof ApiRequestError ? (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {mutation.error.message}
          </p>
        ) : null}
        <div className="mt-5 flex justify-end gap-2">
          <button type="button" className={BUTTON.secondary} onClick={() => setConfirming(false)}>
            Cancel
          </button>
          <button type="button" className={BUTTON.danger} disabled={mutation.isPending} onClick={() => mutation.mutate()}>
            {mutation.isPending ? "Deleting…" : "Delete"}
          </button>
        </div>
      </Dialog>
    </>
  );
}

export interface EventWeightsTableProps {
  types: EventTypeStats[];
  draft: ScoringDraft;
  errors: DraftErrors;
  windowDays: number;
  onWeight: (key: string, value: string) => void;
  onActive: (key: string, value: boolean) => void;
}

/**
 * Every event type with its weight (editable), active flag, volume and share of points. On a
 * phone the volume and share go under the event's name, so the weight inputs stay on screen.
 */
export function EventWeightsTable({ types, draft, errors, windowDays, onWeight, onActive }: EventWeightsTableProps) {
  return (
    <div className="-mx-4 overflow-x-auto relative sm:mx-0">
      <table className="w-full text-sm sm:min-w-[44rem]" data-testid="event-weights-table">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
            <th scope="col" className="px-4 py-2 font-medium sm:px-2">Event</th>
            <th scope="col" className="w-20 px-2 py-2 font-medium sm:w-32">Weight</th>
            <th scope="col" className="px-2 py-2 text-center font-medium">Active</th>
            <th scope="col" className="hidden px-2 py-2 text-right font-medium sm:table-cell">Events ({windowDays} d)</th>
            <th scope="col" className="hidden px-2 py-2 text-right font-medium sm:table-cell">Share of points</th>
            <th scope="col" className="hidden px-2 py-2 sm:table-cell"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {types.map((t) => {
            const error = errors[`types.${t.key}.weight`];
            const weightText = draft.weights[t.key] ?? "";
            const changed = weightText.trim() !== String(t.weightHundredths / 100) || (draft.active[t.key] ?? true) !== t.active;
            return (
              <tr key={t.id} data-testid={`type-row-${t.key}`} className={`border-b border-slate-100 align-top last:border-0 ${changed ? "bg-amber-50/60" : ""}`}>
                <td className="px-4 py-2 sm:px-2">
                  <div className="flex flex-wrap items-center gap-2">
                    <LabelEditor key={t.label} type={t} />
                    {t.isNew ? <span className="rounded-full bg-blue-100 px-2 py-0.5 text-xs font-medium text-blue-800">New · needs a weight</span> : null}
                  </div>
                  <p className="font-mono text-xs text-slate-500">{t.key}</p>
                  {t.description ? <p className="mt-0.5 max-w-md text-xs text-slate-500">{t.description}</p> : null}
                  <p className="mt-0.5 text-xs tabular-nums text-slate-500 sm:hidden">
                    {formatCount(t.volume)} events in {windowDays} d ·{" "}
                    {t.pointsHundredths < 0 ? <span className="text-red-700">−{formatPercent(t.share, 1)}</span> : formatPercent(t.share, 1)} of points
                  </p>
                  {t.volume === 0 ? (
                    <div className="mt-1 sm:hidden">
                      <DeleteButton type={t} />
                    </div>
                  ) : null}
                </td>
                <td className="px-2 py-2">
                  <input
                    aria-label={`Weight of ${t.label}`}
                    inputMode="decimal"
                    value={weightText}
                    onChange={(e) => onWeight(t.key, e.target.value)}
                    aria-invalid={error ? true : undefined}
                    className={`w-16 rounded-md border px-2 py-1 text-right tabular-nums sm:w-24 ${error ? "border-red-400" : "border-slate-300"} ${
                      Number(weightText) < 0 ? "text-red-700" : ""
                    }`}
                  />
                  {error ? <p className="mt-1 text-xs text-red-700">{error}</p> : null}
                </td>
                <td className="px-2 py-2 text-center">
                  <input
                    type="checkbox"
                    aria-label={`${t.label} counts towards the score`}
                    checked={draft.active[t.key] ?? true}
                    onChange={(e) => onActive(t.key, e.target.checked)}
                    className="size-4 accent-blue-600"
                  />
                </td>
                <td className="hidden px-2 py-2 text-right tabular-nums sm:table-cell">{formatCount(t.volume)}</td>
                <td className="hidden px-2 py-2 text-right tabular-nums sm:table-cell" title={`${formatPoints(t.pointsHundredths)} points`}>
                  {t.pointsHundredths < 0 ? <span className="text-red-700">−{formatPercent(t.share, 1)}</span> : formatPercent(t.share, 1)}
                </td>
                <td className="hidden px-2 py-2 text-right sm:table-cell">{t.volume === 0 ? <DeleteButton type={t} /> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
