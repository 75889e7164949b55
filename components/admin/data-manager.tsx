"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiRequestError, apiFetchData } from "@/lib/http/api-client";
import { formatCountOf, formatDateTime } from "@/lib/format";
import type { ErasureResult } from "@/lib/operations/server/admin";
import { retentionQuery, retentionRunQuery, type RetentionJobState } from "@/lib/operations/retention-query-options";
import { useHydrated } from "@/lib/use-hydrated";
import { Card } from "../card";
import { buttonClass } from "../button-styles";
import { FormAlert, SelectField, Spinner, TextField } from "../form-controls";
import { RetentionRunStatus } from "./retention-run-status";

const MONTH_CHOICES = [3, 6, 12, 13, 18, 24, 36, 60] as const;

interface Preview {
  months: number | null;
  sentence: string;
  events: number;
  pendingEvents: number;
}

function sendJson<T>(url: string, method: "POST" | "PUT", body?: unknown): Promise<T> {
  return apiFetchData<T>(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}

function monthsLabel(months: number | null): string {
  if (months === null) return "Keep for ever";
  return months % 12 === 0 ? `${months / 12} ${months === 12 ? "year" : "years"}` : `${months} months`;
}

function RetentionCard() {
  const queryClient = useQueryClient();
  const { data } = useQuery(retentionQuery);
  const [choice, setChoice] = useState<string | null>(null);
  const current = data?.rawEventMonths ?? null;
  const selected = choice ?? (current === null ? "forever" : String(current));
  const months = selected === "forever" ? null : Number(selected);
  const changed = data !== undefined && months !== current;

  const preview = useQuery({
    queryKey: ["admin", "retention", "preview", months],
    queryFn: () => sendJson<Preview>("/api/admin/retention/preview", "POST", { rawEventMonths: months }),
    enabled: changed,
  });
  const save = useMutation({
    mutationFn: () => sendJson("/api/admin/retention", "PUT", { rawEventMonths: months }),
    onSuccess: async () => {
      setChoice(null);
      await queryClient.invalidateQueries({ queryKey: retentionQuery.queryKey });
    },
  });
  const { data: job } = useQuery(retentionRunQuery);
  const run = useMutation({
    mutationFn: () => sendJson<RetentionJobState>("/api/admin/retention/run", "POST"),
    // The run goes on in the background: its state polls (retentionRunQuery) until it ends.
    onSuccess: (state) => queryClient.setQueryData(retentionRunQuery.queryKey, state),
    // A 409 means a run is going (maybe on another server): show it.
    onError: () => queryClient.invalidateQueries({ queryKey: retentionRunQuery.queryKey }),
  });
  const running = job?.status === "running";
  // When a run ends, what the setting deletes today changes: count it again.
  const lastStatus = useRef(job?.status);
  useEffect(() => {
    if (lastStatus.current === "running" && job?.status !== "running") void queryClient.invalidateQueries({ queryKey: retentionQuery.queryKey, exact: true });
    lastStatus.current = job?.status;
  }, [job?.status, queryClient]);

  if (!data) return null;
  const choices = [...new Set<number>([...MONTH_CHOICES, ...(current === null ? [] : [current])])].sort((a, b) => a - b);
  const effect = changed ? preview.data : data.effect;

  return (
    <Card
      title="Raw event retention"
      description="Raw events older than this are deleted by an hourly job, in small batches that never hold up ingestion. Daily rollups, scores and their history are kept: no score changes."
    >
      <form
        aria-label="Raw event retention"
        className="space-y-4"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <div className="max-w-xs">
          <SelectField label="Keep raw events for" value={selected} onChange={(e) => setChoice(e.target.value)}>
            {choices.map((m) => (
              <option key={m} value={String(m)}>
                {monthsLabel(m)}
                {m === 13 ? " (default)" : ""}
              </option>
            ))}
            <option value="forever">Keep for ever</option>
          </SelectField>
        </div>
        <div aria-live="polite" data-testid="retention-effect" className={`rounded-lg px-3 py-2 text-sm ${changed ? "bg-amber-50 text-amber-900 ring-1 ring-amber-200" : "bg-slate-50 text-slate-700"}`}>
          {changed && preview.isPending ? (
            <span className="inline-flex items-center gap-2">
              <Spinner /> Counting what this would delete…
            </span>
          ) : preview.isError && changed ? (
            <span className="text-red-700">Could not count what this would delete: {preview.error.message}</span>
          ) : effect ? (
            <>
              <span className="font-medium">{changed ? "If saved: " : "Today: "}</span>
              {effect.sentence}
            </>
          ) : null}
        </div>
        {save.isError ? <FormAlert title="Not saved">{save.error.message}</FormAlert> : null}
        {save.isSuccess && !changed ? <FormAlert tone="success">Saved. The next hourly run applies it, or apply it now.</FormAlert> : null}
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={buttonClass("primary")} disabled={!changed || save.isPending || preview.isPending}>
            {save.isPending ? <Spinner /> : null}
            Save retention
          </button>
          <button type="button" className={buttonClass("secondary")} disabled={run.isPending || running || changed} onClick={() => run.mutate()}>
            {run.isPending || running ? <Spinner /> : null}
            Apply now
          </button>
          {data.updatedAt ? (
            <span className="text-xs text-slate-500">
              Set by {data.updatedBy} on {formatDateTime(data.updatedAt)}
            </span>
          ) : (
            <span className="text-xs text-slate-500">The default: 13 months.</span>
          )}
        </div>
        {run.isError ? <FormAlert title="Not started">{run.error.message}</FormAlert> : null}
        <RetentionRunStatus job={job ?? data.lastRun} />
      </form>
    </Card>
  );
}

function erasureSummary(result: ErasureResult): string {
  const messages = (n: number) => formatCountOf(n, "identify, group or alias message");
  if (result.kind === "end_user") {
    return `Erased ${formatCountOf(result.events, "event")}, ${formatCountOf(result.pendingEvents, "waiting event")}, ${formatCountOf(result.links, "account link")} and ${messages(result.messages)}; scores of ${formatCountOf(result.accountsRecomputed, "account")} recomputed.`;
  }
  return `Erased account ${result.externalId}: ${formatCountOf(result.events, "event")}, ${formatCountOf(result.rollups, "daily rollup")}, ${formatCountOf(result.links, "user link")} (and ${messages(result.messages)} of theirs), ${formatCountOf(result.notes, "note")}, ${formatCountOf(result.contacts, "contact")} and ${formatCountOf(result.outcomes, "renewal outcome")}.`;
}

function ErasureCard({ kind }: { kind: "end_user" | "account" }) {
  const [value, setValue] = useState("");
  const [confirming, setConfirming] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const erase = useMutation({
    mutationFn: (id: string) => sendJson<ErasureResult>("/api/admin/erasure", "POST", kind === "end_user" ? { kind, userId: id } : { kind, externalId: id }),
    onSuccess: () => {
      setValue("");
      setConfirming(null);
      void queryClient.invalidateQueries();
    },
    onError: () => setConfirming(null),
  });
  const isUser = kind === "end_user";
  const fieldError = erase.error instanceof ApiRequestError && erase.error.field ? erase.error.message : undefined;
  return (
    <Card
      title={isUser ? "Erase an end user" : "Erase an account"}
      description={
        isUser
          ? "Deletes every event the person sent, their waiting events, their link to an account and the identify, group or alias messages they sent (GDPR erasure). The audit log records that it happened and how much was deleted, never the person's id."
          : "Deletes the account and everything stored about it: events, rollups, scores and history, tags, user links and those users' identify, group or alias messages, your team's notes, contacts and snoozes, and renewal outcomes."
      }
    >
      <form
        aria-label={isUser ? "Erase an end user" : "Erase an account"}
        className="space-y-3"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          const id = value.trim();
          if (id) setConfirming(id);
        }}
      >
        <TextField
          label={isUser ? "User id (or anonymous id)" : "Account id (external id)"}
          hint={isUser ? "Exactly as your product sent it as userId or anonymousId." : "The id your product uses for the account (groupId)."}
          value={value}
          error={fieldError}
          onChange={(e) => {
            setValue(e.target.value);
            setConfirming(null);
          }}
          autoComplete="off"
          spellCheck={false}
        />
        {confirming ? (
          <div role="alertdialog" aria-label="Confirm erasure" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900">
            <p>
              Erase everything stored about {isUser ? "end user" : "account"} <strong className="break-all">{confirming}</strong>? This cannot be undone.
            </p>
            <div className="mt-3 flex flex-wrap gap-2">
              <button type="button" className={buttonClass("danger")} disabled={erase.isPending} onClick={() => erase.mutate(confirming)}>
                {erase.isPending ? <Spinner /> : null}
                Yes, erase {isUser ? "this user" : "this account"}
              </button>
              <button type="button" className={buttonClass("secondary")} onClick={() => setConfirming(null)} disabled={erase.isPending}>
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <button type="submit" className={buttonClass("danger-outline")} disabled={value.trim() === ""}>
            {isUser ? "Erase end user…" : "Erase account…"}
          </button>
        )}
        {erase.isError && !fieldError ? <FormAlert title="Not erased">{erase.error.message}</FormAlert> : null}
        {erase.isSuccess ? <FormAlert tone="success">{erasureSummary(erase.data)}</FormAlert> : null}
      </form>
    </Card>
  );
}

/** Admin → Data: how long raw events are kept, and erasing one end user or account. */
export function DataManager() {
  const hydrated = useHydrated();
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="data-admin" data-hydrated={hydrated ? "true" : "false"}>
      <div className="min-w-0 lg:col-span-2">
        <RetentionCard />
      </div>
      <ErasureCard kind="end_user" />
      <ErasureCard kind="account" />
    </div>
  );
}
