"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { createDestinationSchema } from "@/lib/alerts/schemas";
import type { DestinationSummary } from "@/lib/alerts/server/destinations";
import { ApiRequestError } from "@/lib/http/api-client";
import { formatCount, formatDateTime } from "@/lib/format";
import { useCreateDestination, useDeleteDestination, useRevealSecret, useRotateSecret, useTestDestination, useUpdateDestination } from "@/lib/alerts/mutations";
import { destinationsOptions } from "@/lib/alerts/query-options";
import { CodeBlock, CopyButton } from "../admin/copy-button";
import { buttonClass } from "../button-styles";
import { ErrorBlock, LoadingBlock, SegmentedControl } from "../query-state";

export const VERIFY_SNIPPET = (secret: string) => `import express from "express";
import { Webhook } from "standardwebhooks";

const wh = new Webhook("${secret}");
const app = express();

// The raw body: the signature covers the exact bytes sent.
app.post("/webhooks/ces", express.raw({ type: "application/json" }), (req, res) => {
  let event;
  try {
    event = wh.verify(req.body, req.headers); // checks webhook-id, webhook-timestamp, webhook-signature
  } catch {
    return res.sendStatus(400); // not from us, or replayed too late
  }
  // Delivered at least once: a repeat has the same webhook-id; drop it.
  // event.type: "alert.fired" | "scores.changed" | "configuration.changed" | "webhook.test"
  res.sendStatus(204);
});`;

const EVENT_LABELS = { "scores.changed": "daily scores changed", "configuration.changed": "new scoring rules" } as const;

function SecretPanel({ title, secret, onDone }: { title: string; secret: string; onDone: () => void }) {
  return (
    <section aria-label={title} className="rounded-xl border border-emerald-200 bg-emerald-50/60 p-4 sm:p-5" data-testid="webhook-secret-panel">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 className="font-semibold text-emerald-900">{title}</h3>
          <p className="mt-0.5 text-sm text-emerald-800">Your receiver verifies every delivery with this signing secret (Standard Webhooks). Keep it secret.</p>
        </div>
        <button type="button" onClick={onDone} className="rounded-md px-2.5 py-1.5 text-sm font-medium text-emerald-900 hover:bg-emerald-100">
          Done
        </button>
      </div>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-center">
        <input readOnly value={secret} aria-label="Signing secret" onFocus={(e) => e.currentTarget.select()} className="min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-sm" data-testid="webhook-secret" />
        <CopyButton text={secret} label="Copy secret" />
      </div>
      <div className="mt-4">
        <CodeBlock label="Verify deliveries (Node.js)" code={VERIFY_SNIPPET(secret)} />
      </div>
    </section>
  );
}

function AddDestination({ onCreated }: { onCreated: (created: { id: number; secret: string | null; name: string }) => void }) {
  const [kind, setKind] = useState<"slack" | "webhook">("slack");
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [scoresChanged, setScoresChanged] = useState(false);
  const [configChanges, setConfigChanges] = useState(false);
  const [problem, setProblem] = useState<{ field?: string; message: string } | null>(null);
  const create = useCreateDestination();
  const nameId = useId();
  const urlId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const events = [...(kind === "webhook" && scoresChanged ? (["scores.changed"] as const) : []), ...(configChanges ? (["configuration.changed"] as const) : [])];
    const parsed = createDestinationSchema.safeParse({ kind, name, url, events });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setProblem({ field: String(issue?.path[0] ?? ""), message: `${issue?.path[0] === "url" ? "URL" : "Name"} ${issue?.message ?? "is invalid"}` });
      return;
    }
    setProblem(null);
    create.mutate(parsed.data, {
      onSuccess: (created) => {
        onCreated({ ...created, name: parsed.data.name });
        setName("");
        setUrl("");
      },
      onError: (error) => setProblem({ field: error instanceof ApiRequestError ? error.field : undefined, message: error.message }),
    });
  };

  return (
    <form onSubmit={submit} noValidate className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" aria-label="Add a destination">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-base font-semibold text-slate-900">Add a destination</h2>
        <SegmentedControl label="Kind" options={["slack", "webhook"] as const} value={kind} onChange={setKind} format={(v) => (v === "slack" ? "Slack channel" : "Webhook endpoint")} />
      </div>
      <p className="mt-1 text-sm text-slate-500">
        {kind === "slack"
          ? "Paste a Slack incoming-webhook URL (Slack → Apps → Incoming Webhooks → Add to a channel). Rules choose which alerts go there."
          : "Your endpoint receives signed JSON (Standard Webhooks), retried with back-off until it answers 2xx."}
      </p>
      <div className="mt-4 grid gap-3 sm:grid-cols-[minmax(0,14rem)_minmax(0,1fr)]">
        <div>
          <label htmlFor={nameId} className="block text-sm font-medium text-slate-700">
            Name
          </label>
          <input
            id={nameId}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={80}
            placeholder={kind === "slack" ? "#cs-alerts" : "CRM sync"}
            aria-invalid={problem?.field === "name" || undefined}
            className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm aria-[invalid]:border-red-400"
          />
        </div>
        <div>
          <label htmlFor={urlId} className="block text-sm font-medium text-slate-700">
            URL
          </label>
          <input
            id={urlId}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            inputMode="url"
            placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://crm.example.com/webhooks/ces"}
            aria-invalid={problem?.field === "url" || undefined}
            className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm shadow-sm aria-[invalid]:border-red-400"
          />
        </div>
      </div>
      <fieldset className="mt-3">
        <legend className="text-sm font-medium text-slate-700">Also send</legend>
        <div className="mt-1.5 flex flex-wrap gap-x-5 gap-y-2 text-sm text-slate-800">
          {kind === "webhook" ? (
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={scoresChanged} onChange={(e) => setScoresChanged(e.target.checked)} className="size-4 rounded border-slate-300" />
              Daily “scores changed” (every account whose score changed yesterday)
            </label>
          ) : null}
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={configChanges} onChange={(e) => setConfigChanges(e.target.checked)} className="size-4 rounded border-slate-300" />
            A summary when new scoring rules move accounts
          </label>
        </div>
      </fieldset>
      {problem ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {problem.message}
        </p>
      ) : null}
      <div className="mt-4 flex justify-end">
        <button type="submit" disabled={create.isPending} className={buttonClass("primary")} data-testid="add-destination">
          {create.isPending ? "Adding…" : kind === "slack" ? "Add Slack channel" : "Add webhook endpoint"}
        </button>
      </div>
    </form>
  );
}

function Figure({ label, value, tone = "text-slate-900" }: { label: string; value: string; tone?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={`text-sm font-semibold tabular-nums ${tone}`}>{value}</dd>
    </div>
  );
}

function DestinationRow({ d, onSecret }: { d: DestinationSummary; onSecret: (title: string, secret: string) => void }) {
  const test = useTestDestination();
  const update = useUpdateDestination();
  const remove = useDeleteDestination();
  const reveal = useRevealSecret();
  const rotate = useRotateSecret();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const failing = d.lastError !== null;
  const error = test.error ?? update.error ?? remove.error ?? reveal.error ?? rotate.error;
  return (
    <li className="px-4 py-4 sm:px-5" data-testid="destination-row" data-destination-id={d.id}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-semibold text-slate-900">{d.name}</span>
            <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">{d.kind === "slack" ? "Slack" : "Webhook"}</span>
            {!d.enabled ? (
              <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-600/20">Paused</span>
            ) : failing ? (
              <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-600/20">Failing</span>
            ) : (
              <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-600/20">Healthy</span>
            )}
          </div>
          <code className="mt-0.5 block truncate font-mono text-xs text-slate-500">{d.urlShown}</code>
          {d.events.length > 0 ? <p className="mt-0.5 text-xs text-slate-500">Also: {d.events.map((e) => EVENT_LABELS[e]).join(", ")}</p> : null}
        </div>
        <dl className="grid grid-cols-3 gap-x-5 gap-y-1">
          <Figure label="Delivered" value={formatCount(d.delivered)} />
          <Figure label="Waiting" value={formatCount(d.pending)} tone={d.pending > 0 ? "text-amber-700" : "text-slate-900"} />
          <Figure label="Failed" value={formatCount(d.failed)} tone={d.failed > 0 ? "text-red-700" : "text-slate-900"} />
        </dl>
      </div>
      {failing ? (
        <p className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="destination-error">
          <span className="font-medium">Last attempt failed{d.lastErrorAt !== null ? ` (${formatDateTime(d.lastErrorAt)})` : ""}:</span> {d.lastError}
        </p>
      ) : d.lastDeliveredAt !== null ? (
        <p className="mt-2 text-xs text-slate-500">Last delivered {formatDateTime(d.lastDeliveredAt)}</p>
      ) : null}
      <div className="mt-3 flex flex-wrap gap-2">
        <button type="button" onClick={() => test.mutate(d.id)} disabled={test.isPending} className={buttonClass("secondary", "px-3 py-1.5")}>
          {test.isPending ? "Queuing…" : test.isSuccess ? "Test queued" : "Send test"}
        </button>
        <Link href={`/admin/alerts/destinations/${d.id}`} className={buttonClass("secondary", "px-3 py-1.5")}>
          Delivery log
        </Link>
        <button type="button" onClick={() => update.mutate({ id: d.id, name: d.name, events: d.events, enabled: !d.enabled })} disabled={update.isPending} className={buttonClass("secondary", "px-3 py-1.5")}>
          {d.enabled ? "Pause" : "Resume"}
        </button>
        {d.kind === "webhook" ? (
          <>
            <button type="button" onClick={() => reveal.mutate(d.id, { onSuccess: ({ secret }) => onSecret(`Signing secret of “${d.name}”`, secret) })} className={buttonClass("secondary", "px-3 py-1.5")}>
              Show secret
            </button>
            <button type="button" onClick={() => rotate.mutate(d.id, { onSuccess: ({ secret }) => onSecret(`New signing secret of “${d.name}”`, secret) })} className={buttonClass("secondary", "px-3 py-1.5")}>
              Rotate secret
            </button>
          </>
        ) : null}
        {confirmDelete ? (
          <span role="alertdialog" aria-label={`Delete ${d.name}`} className="flex flex-wrap items-center gap-2 rounded-lg bg-red-50 px-2 py-1 text-sm text-red-900">
            Delete? Rules stop sending here; waiting messages are dropped.
            <button type="button" onClick={() => setConfirmDelete(false)} className="rounded px-2 py-1 font-medium hover:bg-white">
              Cancel
            </button>
            <button type="button" onClick={() => remove.mutate(d.id)} disabled={remove.isPending} className={buttonClass("danger", "px-3 py-1")}>
              {remove.isPending ? "Deleting…" : "Delete"}
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirmDelete(true)} className={buttonClass("danger-outline", "px-3 py-1.5")}>
            Delete
          </button>
        )}
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error.message}
        </p>
      ) : null}
    </li>
  );
}

/** Slack channels and webhook endpoints: add, test, pause, delete, secrets, and how their deliveries go. */
export function DestinationsManager() {
  const destinations = useQuery(destinationsOptions());
  const [secret, setSecret] = useState<{ title: string; secret: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="space-y-4">
      <AddDestination
        onCreated={(created) => {
          setNotice(`“${created.name}” added. A test message is on its way: watch its delivery below.`);
          if (created.secret) setSecret({ title: `Webhook endpoint “${created.name}” added`, secret: created.secret });
        }}
      />
      {notice ? (
        <p role="status" className="rounded-lg border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-800">
          {notice}
        </p>
      ) : null}
      {secret ? <SecretPanel title={secret.title} secret={secret.secret} onDone={() => setSecret(null)} /> : null}
      <section aria-labelledby="destinations-title" className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <header className="border-b border-slate-100 px-4 py-3 sm:px-5">
          <h2 id="destinations-title" className="text-base font-semibold text-slate-900">
            Destinations
          </h2>
          <p className="text-sm text-slate-500">Outbound requests time out after 10 s, never follow redirects and use https. Each delivery is retried with back-off for about ten hours.</p>
        </header>
        {destinations.isPending ? (
          <div className="p-4">
            <LoadingBlock label="Loading destinations…" height={120} />
          </div>
        ) : destinations.isError ? (
          <div className="p-4">
            <ErrorBlock error={destinations.error} onRetry={() => void destinations.refetch()} />
          </div>
        ) : destinations.data.length === 0 ? (
          <div className="px-5 py-10 text-center">
            <p className="font-medium text-slate-900">No destinations yet</p>
            <p className="mt-1 text-sm text-slate-500">Add a Slack channel or a webhook endpoint above, then choose it in a rule.</p>
          </div>
        ) : (
          <ul className="divide-y divide-slate-100">
            {destinations.data.map((d) => (
              <DestinationRow key={d.id} d={d} onSecret={(title, s) => setSecret({ title, secret: s })} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
