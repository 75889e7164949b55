"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { z } from "zod";
import type { DeliveryLogEntry } from "@/lib/alerts/server/outbox";
import { nextTryAt } from "@/lib/alerts/backoff";
import { formatCount, formatDateTime } from "@/lib/format";
import { useRedeliver, useResumeDestination } from "@/lib/alerts/mutations";
import type { EndpointCircuit } from "@/lib/alerts/server/outbox";
import { attemptsOptions, deliveriesOptions } from "@/lib/alerts/query-options";
import { useUrlParams } from "@/lib/use-url-params";
import { buttonClass } from "../button-styles";
import { ErrorBlock, LoadingBlock, SegmentedControl } from "../query-state";

const logUrlSchema = z.object({
  status: z.enum(["all", "pending", "delivered", "failed"]).default("all").catch("all"),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

const STATUS_LABELS = { pending: "Waiting", delivered: "Delivered", failed: "Failed" } as const;
const STATUS_TONES = {
  pending: "bg-amber-50 text-amber-800 ring-amber-600/20",
  delivered: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  failed: "bg-red-50 text-red-700 ring-red-600/20",
} as const;

function Attempts({ destinationId, deliveryId }: { destinationId: number; deliveryId: number }) {
  const attempts = useQuery(attemptsOptions(destinationId, deliveryId));
  if (attempts.isPending) return <p className="text-xs text-slate-500">Loading attempts…</p>;
  if (attempts.isError) return <p className="text-xs text-red-700">Could not load the attempts: {attempts.error.message}</p>;
  if (attempts.data.attempts.length === 0) return <p className="text-xs text-slate-500">Not attempted yet.</p>;
  return (
    <ol className="space-y-1.5" aria-label="Attempts, newest first">
      {attempts.data.attempts.map((a) => (
        <li key={a.attempt} className="rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-700">
          <span className="font-medium">Attempt {a.attempt}</span> · {formatDateTime(a.at)} · {a.durationMs} ms ·{" "}
          {a.statusCode !== null ? `answered ${a.statusCode}` : "no answer"}
          {a.error ? <span className="block text-red-700">{a.error}</span> : null}
          {a.responseExcerpt ? <code className="mt-1 block max-h-24 overflow-auto whitespace-pre-wrap break-all font-mono text-[0.7rem] text-slate-500">{a.responseExcerpt}</code> : null}
        </li>
      ))}
    </ol>
  );
}

function Entry({ entry, destinationId, pausedUntil }: { entry: DeliveryLogEntry; destinationId: number; pausedUntil: number | null }) {
  const [open, setOpen] = useState(false);
  const nextTry = nextTryAt(entry, pausedUntil);
  const redeliver = useRedeliver(destinationId);
  return (
    <li className="px-4 py-3 sm:px-5" data-testid="delivery-row" data-status={entry.status}>
      <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_TONES[entry.status]}`}>{STATUS_LABELS[entry.status]}</span>
            <span className="text-sm font-medium text-slate-900">{entry.eventType}</span>
            <code className="truncate font-mono text-xs text-slate-500" title="webhook-id: the same on every attempt and redelivery">
              {entry.messageId}
            </code>
          </div>
          <p className="mt-1 text-xs text-slate-500">
            Queued {formatDateTime(entry.createdAt)} · attempts {entry.attempts}/{entry.maxAttempts}
            {entry.lastStatusCode !== null ? ` · last answer ${entry.lastStatusCode}` : ""}
            {entry.deliveredAt !== null ? ` · delivered ${formatDateTime(entry.deliveredAt)}` : ""}
            {nextTry !== null ? ` · next try ${formatDateTime(nextTry)}` : ""}
          </p>
          {entry.lastError && entry.status !== "delivered" ? <p className="mt-1 text-sm text-red-700">{entry.lastError}</p> : null}
        </div>
        <div className="flex gap-2">
          <button type="button" onClick={() => setOpen((v) => !v)} aria-expanded={open} className={buttonClass("secondary", "px-3 py-1.5")}>
            {open ? "Hide attempts" : "Attempts"}
          </button>
          {entry.status !== "pending" ? (
            <button type="button" onClick={() => redeliver.mutate(entry.id)} disabled={redeliver.isPending || redeliver.isSuccess} className={buttonClass("secondary", "px-3 py-1.5")}>
              {redeliver.isPending ? "Queuing…" : redeliver.isSuccess ? "Queued" : "Redeliver"}
            </button>
          ) : null}
        </div>
      </div>
      {redeliver.isError ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {redeliver.error.message}
        </p>
      ) : null}
      {open ? (
        <div className="mt-3">
          <Attempts destinationId={destinationId} deliveryId={entry.id} />
        </div>
      ) : null}
    </li>
  );
}

/** Whether the endpoint is paused (and why, until when), or probing after a pause; nothing while it delivers. */
function CircuitNotice({ circuit, destinationId }: { circuit: EndpointCircuit; destinationId: number }) {
  const resume = useResumeDestination(destinationId);
  if (circuit.pausedUntil === null && !circuit.probing) return null;
  const paused = circuit.pausedUntil !== null;
  return (
    <div role="status" data-testid="circuit-notice" className="rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 sm:px-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium">
            {paused && circuit.pausedUntil !== null
              ? `Paused until ${formatDateTime(circuit.pausedUntil)} after ${circuit.consecutiveFailures} failed deliveries in a row`
              : "Trying again: the next delivery goes alone, and the endpoint is paused again if it fails"}
          </p>
          {circuit.reason ? <p className="mt-1 break-words">Last failure: {circuit.reason}</p> : null}
          <p className="mt-1 text-amber-800">Deliveries to this endpoint wait and keep their attempts; other endpoints and ingestion are not affected.</p>
        </div>
        {paused ? (
          <button type="button" onClick={() => resume.mutate()} disabled={resume.isPending} className={buttonClass("secondary", "px-3 py-1.5")}>
            {resume.isPending ? "Resuming…" : "Resume now"}
          </button>
        ) : null}
      </div>
      {resume.isError ? (
        <p role="alert" className="mt-2 text-red-700">
          {resume.error.message}
        </p>
      ) : null}
    </div>
  );
}

/** A destination's deliveries (newest first): status, answer, attempts, why it failed, and redelivery. */
export function DeliveryLog({ destination }: { destination: { id: number; name: string; kind: "webhook" | "slack"; url: string } }) {
  const [state, setState] = useUrlParams(logUrlSchema);
  const search = new URLSearchParams({ ...(state.status !== "all" ? { status: state.status } : {}), ...(state.page > 1 ? { page: String(state.page) } : {}) }).toString();
  const log = useQuery({ ...deliveriesOptions(destination.id, search ? `?${search}` : ""), placeholderData: keepPreviousData });
  const pageCount = log.data ? Math.max(1, Math.ceil(log.data.total / log.data.pageSize)) : 1;
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/admin/alerts/destinations" className="text-slate-500 hover:text-slate-900">
          ← Slack & webhooks
        </Link>
      </nav>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h2 className="text-lg font-semibold text-slate-900">
            {destination.name} <span className="text-sm font-normal text-slate-500">({destination.kind === "slack" ? "Slack" : "webhook"})</span>
          </h2>
          <code className="block truncate font-mono text-xs text-slate-500">{destination.url}</code>
        </div>
        <SegmentedControl
          label="Show"
          options={["all", "pending", "delivered", "failed"] as const}
          value={state.status}
          onChange={(status) => setState({ status, page: 1 })}
          format={(v) => (v === "all" ? "All" : STATUS_LABELS[v])}
        />
      </div>
      {log.data?.circuit ? <CircuitNotice circuit={log.data.circuit} destinationId={destination.id} /> : null}
      <section aria-label="Deliveries" className="rounded-xl border border-slate-200 bg-white shadow-sm">
        {log.isPending ? (
          <div className="p-4">
            <LoadingBlock label="Loading deliveries…" height={160} />
          </div>
        ) : log.isError ? (
          <div className="p-4">
            <ErrorBlock error={log.error} onRetry={() => void log.refetch()} />
          </div>
        ) : log.data.entries.length === 0 ? (
          <div className="px-5 py-10 text-center">
            <p className="font-medium text-slate-900">{state.status === "all" ? "Nothing sent here yet" : `No ${STATUS_LABELS[state.status].toLowerCase()} deliveries`}</p>
            <p className="mt-1 text-sm text-slate-500">Deliveries appear here as rules fire. “Send test” on the previous page sends one now.</p>
          </div>
        ) : (
          <ul className={`divide-y divide-slate-100 ${log.isPlaceholderData ? "opacity-60" : ""}`} data-testid="delivery-log">
            {log.data.entries.map((entry) => (
              <Entry key={entry.id} entry={entry} destinationId={destination.id} pausedUntil={log.data.circuit?.pausedUntil ?? null} />
            ))}
          </ul>
        )}
        {log.data && pageCount > 1 ? (
          <nav aria-label="Pages" className="flex items-center justify-between border-t border-slate-100 px-4 py-3 text-sm">
            <span className="text-slate-500">
              Page {log.data.page} of {pageCount} · {formatCount(log.data.total)} deliveries
            </span>
            <span className="flex gap-2">
              <button type="button" disabled={state.page <= 1} onClick={() => setState({ page: state.page - 1 })} className={buttonClass("secondary", "px-3 py-1.5")}>
                Previous
              </button>
              <button type="button" disabled={state.page >= pageCount} onClick={() => setState({ page: state.page + 1 })} className={buttonClass("secondary", "px-3 py-1.5")}>
                Next
              </button>
            </span>
          </nav>
        ) : null}
      </section>
    </div>
  );
}
