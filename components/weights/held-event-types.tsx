"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ApiRequestError } from "@/lib/http/api-client";
import { formatCount } from "@/lib/format";
import { EVENT_NAME_RULE } from "@/lib/ingestion/event-names";
import { keepEventType, mapEventType, scoringKeys } from "@/lib/scoring/query-options";
import type { EventTypeStats } from "@/lib/scoring/server/scoring-config";
import { Card } from "../card";

const SECONDARY =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60";

/** One held event type: "did you mean …", another type, or keep it. */
function HeldType({ type, suggestions, targets, windowDays, disabled, onDone }: {
  type: EventTypeStats;
  suggestions: EventTypeStats[];
  targets: EventTypeStats[];
  windowDays: number;
  disabled: boolean;
  onDone: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const selectId = useId();
  const [other, setOther] = useState("");
  const map = useMutation({
    mutationFn: (target: EventTypeStats) => mapEventType(type.id, target.id),
    onSuccess: async (result, target) => {
      onDone(
        `“${type.label}” now counts for ${target.label}: ${formatCount(result.events + result.waitingEvents)} ${result.events + result.waitingEvents === 1 ? "event" : "events"} moved` +
          (result.accounts > 0 ? `, ${formatCount(result.accounts)} ${result.accounts === 1 ? "account" : "accounts"} rescored.` : "."),
      );
      await queryClient.invalidateQueries({ queryKey: scoringKeys.all });
    },
  });
  const keep = useMutation({
    mutationFn: () => keepEventType(type.id),
    onSuccess: async () => {
      onDone(`“${type.label}” is kept as an event type of its own, with weight 0: give it a weight below.`);
      await queryClient.invalidateQueries({ queryKey: scoringKeys.all });
    },
  });
  const busy = disabled || map.isPending || keep.isPending;
  const error = map.error ?? keep.error;
  const chosen = targets.find((t) => String(t.id) === other);
  return (
    <li className="py-3 first:pt-0 last:pb-0" data-testid={`held-type-${type.key}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <p className="min-w-0 break-words">
          <span className="font-medium text-slate-900">“{type.label}”</span> <span className="font-mono text-xs text-slate-500">{type.key}</span>
        </p>
        <p className="text-sm tabular-nums text-slate-500">
          {formatCount(type.volume)} {type.volume === 1 ? "event" : "events"} in {windowDays} days, counting 0
        </p>
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        {suggestions.length > 0 ? (
          <>
            <span className="text-sm text-slate-600">Did you mean</span>
            {suggestions.map((s) => (
              <button key={s.id} type="button" disabled={busy} onClick={() => map.mutate(s)} className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-blue-700 disabled:opacity-60">
                {s.label}?
              </button>
            ))}
          </>
        ) : (
          <span className="text-sm text-slate-600">No event type is close enough to suggest.</span>
        )}
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <label htmlFor={selectId} className="sr-only">
          Map “{type.label}” to another event type
        </label>
        <select id={selectId} value={other} onChange={(e) => setOther(e.target.value)} disabled={busy} className="min-w-0 max-w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
          <option value="">Another event type…</option>
          {targets.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label} ({t.key})
            </option>
          ))}
        </select>
        <button type="button" disabled={busy || !chosen} onClick={() => chosen && map.mutate(chosen)} className={SECONDARY}>
          Map
        </button>
        <button type="button" disabled={busy} onClick={() => keep.mutate()} className={SECONDARY}>
          Keep as a new event type
        </button>
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error instanceof ApiRequestError ? error.message : "That did not work. Try again."}
        </p>
      ) : null}
    </li>
  );
}

/**
 * Event names that nearly matched existing types and wait, at weight 0, for an admin: map
 * each to the type it means (its events and counts move there, and the name is remembered),
 * or keep it as a type of its own.
 */
export function HeldEventTypes({ types, suggestions, windowDays, disabled }: { types: EventTypeStats[]; suggestions: Record<number, number[]>; windowDays: number; disabled: boolean }) {
  const [notice, setNotice] = useState<string | null>(null);
  const held = types.filter((t) => t.held);
  const targets = types.filter((t) => !t.held);
  const byId = new Map(types.map((t) => [t.id, t]));
  if (held.length === 0 && !notice) return null;
  return (
    <Card
      title="Event names waiting for you"
      description="These names nearly match event types you have. Until you decide, their events are kept and count for nothing."
      className="mb-4 border-amber-300 ring-1 ring-amber-200"
    >
      {notice ? (
        <p role="status" className="mb-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-600/20">
          {notice}
        </p>
      ) : null}
      {held.length > 0 ? (
        <ul className="divide-y divide-slate-100" aria-label="Held event names">
          {held.map((t) => (
            <HeldType
              key={t.id}
              type={t}
              suggestions={(suggestions[t.id] ?? []).map((id) => byId.get(id)).filter((s): s is EventTypeStats => s !== undefined)}
              targets={targets}
              windowDays={windowDays}
              disabled={disabled}
              onDone={setNotice}
            />
          ))}
        </ul>
      ) : null}
      {disabled ? <p className="mt-3 text-sm text-slate-500">Scores are being recomputed: decide when that is done.</p> : null}
    </Card>
  );
}

/** The rule incoming event names are matched by, as every ingestion path applies it. */
export function EventNameRule() {
  return (
    <details open className="mt-4 rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-sm sm:p-5" data-testid="event-name-rule">
      <summary className="cursor-pointer font-semibold text-slate-900">How incoming event names are matched to event types</summary>
      <ol className="mt-3 list-decimal space-y-1.5 pl-5 text-slate-600">
        {EVENT_NAME_RULE.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ol>
      <p className="mt-3 text-slate-500">The same rule applies to Segment, the events API and CSV imports.</p>
    </details>
  );
}
