"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { createApiTokenSchema } from "@/lib/alerts/schemas";
import type { ApiTokenSummary } from "@/lib/read-api/server/tokens";
import { formatDateTime } from "@/lib/format";
import { useCreateApiToken, useRevokeApiToken } from "@/lib/alerts/mutations";
import { apiTokensOptions } from "@/lib/alerts/query-options";
import { buttonClass } from "../button-styles";
import { ErrorBlock, LoadingBlock } from "../query-state";
import { CodeBlock } from "./copy-button";
import { SecretReveal } from "./secret-reveal";

function NewToken({ token, label, origin, onDone }: { token: string; label: string; origin: string; onDone: () => void }) {
  const curl = `curl "${origin}/api/v1/scores?changedSince=2026-01-01T00:00:00Z&limit=100" \\
  -H "Authorization: Bearer ${token}"`;
  return (
    <SecretReveal title={`Token “${label}” created`} secret={token} secretLabel="New API token" copyLabel="Copy token" onDone={onDone} testId="new-api-token">
      <CodeBlock label="Scores changed since a date (HTTP)" code={curl} />
    </SecretReveal>
  );
}

function TokenRow({ token }: { token: ApiTokenSummary }) {
  const revoke = useRevokeApiToken();
  const [confirming, setConfirming] = useState(false);
  const revoked = token.revokedAt !== null;
  return (
    <li className={`px-4 py-3 sm:px-5 ${revoked ? "bg-slate-50/70" : ""}`} data-testid="api-token-row">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <span className={`font-medium ${revoked ? "text-slate-500" : "text-slate-900"}`}>{token.label}</span>
            <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${revoked ? "bg-slate-100 text-slate-600 ring-slate-500/20" : "bg-emerald-50 text-emerald-700 ring-emerald-600/20"}`}>
              {revoked ? "Revoked" : "Active"}
            </span>
            {token.scopes.map((s) => (
              <code key={s} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                {s}
              </code>
            ))}
          </div>
          <p className="mt-0.5 text-xs text-slate-500">
            <code className="font-mono">{token.prefix}…</code> · created {formatDateTime(token.createdAt)} by {token.createdBy} ·{" "}
            {revoked ? `revoked ${formatDateTime(token.revokedAt)}${token.revokedBy ? ` by ${token.revokedBy}` : ""}` : token.lastUsedAt === null ? "never used" : `last used ${formatDateTime(token.lastUsedAt)}`}
          </p>
        </div>
        {!revoked && !confirming ? (
          <button type="button" onClick={() => setConfirming(true)} className={buttonClass("danger-outline", "px-3 py-1.5")}>
            Revoke
          </button>
        ) : null}
      </div>
      {confirming && !revoked ? (
        <div role="alertdialog" aria-label={`Revoke ${token.label}`} className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-red-200 bg-red-50 p-3">
          <p className="text-sm text-red-900">Revoke “{token.label}”? Whatever reads with it gets 401 from now on.</p>
          <div className="flex gap-2">
            <button type="button" onClick={() => setConfirming(false)} className="rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-white">
              Cancel
            </button>
            <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate(token.id)} className={buttonClass("danger", "px-3 py-1.5")}>
              {revoke.isPending ? "Revoking…" : "Revoke token"}
            </button>
          </div>
        </div>
      ) : null}
      {revoke.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {revoke.error.message}
        </p>
      ) : null}
    </li>
  );
}

/** Read-only API tokens: create (shown once), list, revoke. */
export function ApiTokensManager({ origin }: { origin: string }) {
  const tokens = useQuery(apiTokensOptions());
  const create = useCreateApiToken();
  const [label, setLabel] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<{ token: string; label: string } | null>(null);
  const labelId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = createApiTokenSchema.safeParse({ label, scopes: ["scores:read"] });
    if (!parsed.success) {
      setProblem(`Label ${parsed.error.issues[0]?.message ?? "is invalid"}`);
      return;
    }
    setProblem(null);
    create.mutate(parsed.data, {
      onSuccess: (result) => {
        setCreated({ token: result.token, label: result.summary.label });
        setLabel("");
      },
      onError: (error) => setProblem(error.message),
    });
  };

  return (
    <section aria-labelledby="tokens-title" className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <header className="border-b border-slate-200 px-4 py-4 sm:px-5">
        <h2 id="tokens-title" className="text-base font-semibold text-slate-900">
          Read API tokens
        </h2>
        <p className="mt-0.5 text-sm text-slate-500">
          For CRMs, BI tools and spreadsheets that pull scores. A token reads scores only (scope <code className="font-mono text-xs">scores:read</code>): it can neither send data nor sign in.
        </p>
        <form onSubmit={submit} noValidate className="mt-4 flex flex-col gap-2 sm:flex-row sm:items-start">
          <div className="min-w-0 flex-1">
            <label htmlFor={labelId} className="sr-only">
              Label for the new token
            </label>
            <input
              id={labelId}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              placeholder="Label, e.g. “Salesforce sync”"
              maxLength={80}
              aria-invalid={problem ? true : undefined}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 aria-[invalid]:border-red-400"
            />
            {problem ? (
              <p role="alert" className="mt-1 text-sm text-red-700">
                {problem}
              </p>
            ) : null}
          </div>
          <button type="submit" disabled={create.isPending} className={buttonClass("primary")}>
            {create.isPending ? "Creating…" : "Create token"}
          </button>
        </form>
      </header>
      {created ? (
        <div className="px-4 pt-4 sm:px-5">
          <NewToken token={created.token} label={created.label} origin={origin} onDone={() => setCreated(null)} />
        </div>
      ) : null}
      {tokens.isPending ? (
        <div className="p-4">
          <LoadingBlock label="Loading tokens…" height={80} />
        </div>
      ) : tokens.isError ? (
        <div className="p-4">
          <ErrorBlock error={tokens.error} onRetry={() => void tokens.refetch()} />
        </div>
      ) : tokens.data.length === 0 ? (
        <div className="px-5 py-8 text-center">
          <p className="font-medium text-slate-900">No tokens yet</p>
          <p className="mt-1 text-sm text-slate-500">Create one per tool that reads scores, so each can be revoked on its own.</p>
        </div>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100 border-t border-slate-100" aria-label="API tokens">
          {tokens.data.map((t) => (
            <TokenRow key={t.id} token={t} />
          ))}
        </ul>
      )}
    </section>
  );
}
