"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { z } from "zod";
import { createWriteKeySchema } from "@/lib/ingestion/write-key-schemas";
import { describeDryRun, dryRunAnswerSchema } from "@/lib/ingestion/dry-run";
import { SAMPLE_TRACK_MESSAGE, sampleCurl, sampleTrackPath } from "@/lib/ingestion/sample";
import { ApiRequestError, postJson } from "@/lib/http/api-client";
import { formatDateTime } from "@/lib/format";
import { writeKeysQuery, type WriteKeyRow } from "@/lib/ingestion/write-keys-query-options";
import { CodeBlock } from "./copy-button";
import { SecretReveal } from "./secret-reveal";
import { InlineQueryError } from "../query-state";

const errorMessageSchema = z.object({ error: z.object({ message: z.string() }) });

interface CreatedKey {
  key: string;
  summary: WriteKeyRow;
}

function StatusBadge({ row }: { row: WriteKeyRow }) {
  return row.revokedAt === null ? (
    <span className="inline-flex items-center gap-1 rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-600/20">
      <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-500" />
      Active
    </span>
  ) : (
    <span className="inline-flex items-center rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-slate-500/20">
      Revoked
    </span>
  );
}

type TestState = { status: "idle" | "pending" } | { status: "done"; ok: boolean; message: string };

/** Sends the sample call as a dry run with the new key: proves the key works, stores nothing. */
function TestKeyButton({ writeKey }: { writeKey: string }) {
  const [state, setState] = useState<TestState>({ status: "idle" });
  const test = async () => {
    setState({ status: "pending" });
    try {
      const response = await fetch(sampleTrackPath(), {
        method: "POST",
        headers: { authorization: `Basic ${btoa(`${writeKey}:`)}`, "content-type": "application/json" },
        body: JSON.stringify(SAMPLE_TRACK_MESSAGE),
      });
      const body: unknown = await response.json().catch(() => null);
      const parsed = dryRunAnswerSchema.safeParse(body);
      if (response.ok && parsed.success) setState({ status: "done", ok: true, message: describeDryRun(parsed.data) });
      else {
        const message = errorMessageSchema.safeParse(body);
        setState({ status: "done", ok: false, message: `The test failed (HTTP ${response.status}): ${message.success ? message.data.error.message : "unexpected answer"}` });
      }
    } catch {
      setState({ status: "done", ok: false, message: "Could not reach the server. Check your connection and try again." });
    }
  };
  return (
    <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
      <button
        type="button"
        onClick={() => void test()}
        disabled={state.status === "pending"}
        className="inline-flex shrink-0 items-center justify-center rounded-md border border-emerald-300 bg-white px-3 py-1.5 text-sm font-medium text-emerald-900 shadow-sm hover:bg-emerald-100 disabled:opacity-60"
      >
        {state.status === "pending" ? "Testing…" : "Test the key"}
      </button>
      <p role="status" className={`text-sm ${state.status === "done" && !state.ok ? "text-red-700" : "text-emerald-900"}`} data-testid="key-test-result">
        {state.status === "done" ? state.message : "Sends the sample call below as a dry run: the key and the event are checked, nothing is stored."}
      </p>
    </div>
  );
}

function NewKeyPanel({ created, origin, onDone }: { created: CreatedKey; origin: string; onDone: () => void }) {
  const node = `import { Analytics } from "@segment/analytics-node";

const analytics = new Analytics({
  writeKey: "${created.key}",
  host: "${origin}",
});`;
  const browser = `// npm install @segment/analytics-next
import { AnalyticsBrowser } from "@segment/analytics-next";

export const analytics = AnalyticsBrowser.load({
  writeKey: "${created.key}",
  cdnURL: "${origin}",
});`;
  const curl = sampleCurl(origin, created.key);
  return (
    <SecretReveal
      title={`Key “${created.summary.label}” created`}
      secret={created.key}
      secretLabel="New write key"
      copyLabel="Copy key"
      onDone={onDone}
      testId="new-key-panel"
      valueTestId="new-key-value"
      className="mb-5"
    >
      <TestKeyButton writeKey={created.key} />
      <CodeBlock label="Segment SDK (Node.js)" code={node} />
      <CodeBlock label="analytics.js (browser)" code={browser} />
      <div>
        <CodeBlock label="HTTP test call (dry run)" code={curl} />
        <p className="mt-1.5 text-xs text-emerald-900">
          <code className="rounded bg-white/70 px-1">?dryRun=true</code> checks the key and the event and answers what would be stored, without storing anything. Leave it
          out to send real data.
        </p>
      </div>
    </SecretReveal>
  );
}

function KeyRow({ row, onRevoke, revoking }: { row: WriteKeyRow; onRevoke: (row: WriteKeyRow) => void; revoking: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const revoked = row.revokedAt !== null;
  return (
    <li className={`px-4 py-3 sm:px-5 ${revoked ? "bg-slate-50/70" : ""}`} data-testid="write-key-row">
      <div className="grid gap-x-6 gap-y-2 sm:grid-cols-[minmax(0,1fr)_auto_5.5rem] sm:items-center">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <span className={`truncate font-medium ${revoked ? "text-slate-500" : "text-slate-900"}`}>{row.label}</span>
            <StatusBadge row={row} />
          </div>
          <code className="mt-0.5 block font-mono text-xs text-slate-500">{row.prefix}…</code>
        </div>
        <dl className="grid grid-cols-2 gap-x-6 text-xs text-slate-500">
          <div>
            <dt className="font-medium text-slate-400">Created</dt>
            <dd>
              {formatDateTime(row.createdAt)}
              <span className="block text-slate-400">by {row.createdBy}</span>
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-400">{revoked ? "Revoked" : "Last used"}</dt>
            <dd>
              {revoked ? formatDateTime(row.revokedAt) : row.lastUsedAt === null ? "Never" : formatDateTime(row.lastUsedAt)}
              {revoked && row.revokedBy ? <span className="block text-slate-400">by {row.revokedBy}</span> : null}
            </dd>
          </div>
        </dl>
        <div className="sm:text-right">
          {revoked || confirming ? null : (
            <button
              type="button"
              onClick={() => setConfirming(true)}
              className="rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-medium text-red-700 shadow-sm hover:border-red-300 hover:bg-red-50"
            >
              Revoke
            </button>
          )}
        </div>
      </div>
      {confirming && !revoked ? (
        <div role="alertdialog" aria-label={`Revoke ${row.label}`} className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-red-200 bg-red-50 p-3">
          <p className="text-sm text-red-900">
            Revoke “{row.label}”? Anything still sending with it gets <strong>401</strong> from now on. This cannot be undone.
          </p>
          <div className="flex gap-2">
            <button type="button" onClick={() => setConfirming(false)} className="rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-white">
              Cancel
            </button>
            <button
              type="button"
              disabled={revoking}
              onClick={() => onRevoke(row)}
              className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-red-700 disabled:opacity-60"
            >
              {revoking ? "Revoking…" : "Revoke key"}
            </button>
          </div>
        </div>
      ) : null}
    </li>
  );
}

/** Create, list and revoke write keys. The list is prefetched on the server. */
export function WriteKeysManager({ origin }: { origin: string }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const keys = useQuery(writeKeysQuery);
  const [label, setLabel] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const labelId = useId();
  const errorId = useId();

  const create = useMutation({
    mutationFn: (input: { label: string }) => postJson<CreatedKey>("/api/admin/keys", input),
    onSuccess: (result) => {
      setCreated(result);
      setLabel("");
      void queryClient.invalidateQueries({ queryKey: writeKeysQuery.queryKey });
      // The page's own figures (active keys) come from the server.
      router.refresh();
    },
    onError: (error) => setFormError(error instanceof ApiRequestError ? error.message : "The key could not be created. Try again."),
  });

  const revoke = useMutation({
    mutationFn: (row: WriteKeyRow) => postJson<{ key: WriteKeyRow }>(`/api/admin/keys/${row.id}/revoke`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: writeKeysQuery.queryKey });
      router.refresh();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = createWriteKeySchema.safeParse({ label });
    if (!parsed.success) {
      setFormError(parsed.error.issues[0]?.message ?? "Check the label");
      return;
    }
    setFormError(null);
    create.mutate(parsed.data);
  };

  const rows = keys.data ?? [];
  const active = rows.filter((r) => r.revokedAt === null).length;

  return (
    <section aria-labelledby="keys-title" className="min-w-0 rounded-xl border border-slate-200 bg-white shadow-sm">
      <header className="border-b border-slate-200 px-4 py-4 sm:px-5">
        <h2 id="keys-title" className="text-base font-semibold text-slate-900">
          Write keys
        </h2>
        <p className="mt-0.5 text-sm text-slate-500">
          {active === 1 ? "1 active key" : `${active} active keys`}. A key authorises sending data only: it cannot read anything.
        </p>
        <form onSubmit={submit} noValidate className="mt-4 flex flex-col gap-2 sm:flex-row sm:items-start">
          <div className="min-w-0 flex-1">
            <label htmlFor={labelId} className="sr-only">
              Label for the new key
            </label>
            <input
              id={labelId}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              placeholder="Label, e.g. “Production web app”"
              maxLength={80}
              aria-invalid={formError ? true : undefined}
              aria-describedby={formError ? errorId : undefined}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 aria-[invalid]:border-red-400"
            />
            {formError ? (
              <p id={errorId} role="alert" className="mt-1 text-sm text-red-700">
                {formError}
              </p>
            ) : null}
          </div>
          <button
            type="submit"
            disabled={create.isPending}
            className="inline-flex items-center justify-center gap-1.5 rounded-md bg-blue-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-blue-700 disabled:opacity-60"
          >
            <svg aria-hidden="true" viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round">
              <path d="M12 5v14M5 12h14" />
            </svg>
            {create.isPending ? "Creating…" : "Create key"}
          </button>
        </form>
      </header>

      <div className="px-4 pt-4 sm:px-5">{created ? <NewKeyPanel created={created} origin={origin} onDone={() => setCreated(null)} /> : null}</div>

      {keys.isError ? (
        <InlineQueryError what="the write keys" error={keys.error} onRetry={() => void keys.refetch()} className="m-4" />
      ) : rows.length === 0 ? (
        <div className="px-5 pb-8 pt-4 text-center">
          <p className="font-medium text-slate-900">No write keys yet</p>
          <p className="mt-1 text-sm text-slate-500">Create one for each app, pipeline or environment that sends data, so you can revoke them one by one.</p>
        </div>
      ) : (
        <ul className="divide-y divide-slate-100 border-t border-slate-100" aria-label="Write keys">
          {rows.map((row) => (
            <KeyRow key={row.id} row={row} onRevoke={(r) => revoke.mutate(r)} revoking={revoke.isPending && revoke.variables.id === row.id} />
          ))}
        </ul>
      )}
      {revoke.isError ? (
        <p role="alert" className="px-5 py-3 text-sm text-red-700">
          {revoke.error instanceof ApiRequestError ? revoke.error.message : "The key could not be revoked. Try again."}
        </p>
      ) : null}
    </section>
  );
}
