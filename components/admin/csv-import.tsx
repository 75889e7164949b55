"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useRef, useState, type ChangeEvent, type DragEvent } from "react";
import { ApiRequestError, apiFetch } from "@/lib/http/api-client";
import { formatBytes, formatCount } from "@/lib/format";
import { CSV_TEMPLATES, type ImportKind } from "@/lib/ingestion/import-kinds";
import type { ImportAnalysis } from "@/lib/ingestion/server/import/csv-import";
import { ColumnChips, EventNameNotes, SampleTable, SummaryStats } from "./import-preview";
import { DownloadRejectsButton, ProblemList } from "./import-problems";

interface PreviewResponse {
  fileName: string;
  size: number;
  analysis: ImportAnalysis;
}

interface CommitResponse {
  success: true;
  fileName: string;
  accepted: number;
  duplicates: number;
  accountsCreated: number;
  accountsUpdated: number;
  outcomesCreated: number;
  outcomesUpdated: number;
  analysis: ImportAnalysis;
}

const KIND_INFO: Record<ImportKind, { title: string; description: string; columns: string }> = {
  accounts: {
    title: "Accounts",
    description: "Create or update customer accounts by their id.",
    columns: "id (required), name, plan, industry, region, account_manager, renewal_date, arr, lifecycle_stage, signup_date, trial_end_date, tags, user_ids",
  },
  events: {
    title: "Events",
    description: "Add product-usage events to existing accounts.",
    columns: "account_id (or a linked user_id), event, timestamp (required), quantity, message_id",
  },
  outcomes: {
    title: "Renewal outcomes",
    description: "Record what happened at each renewal: renewed, expanded, contracted or churned.",
    columns: "account_id, renewal_date, outcome (required), arr_before, arr_after",
  },
};

function upload<T>(url: string, kind: ImportKind, file: File, skipProblems = false): Promise<T> {
  const form = new FormData();
  form.set("kind", kind);
  form.set("file", file);
  if (skipProblems) form.set("skipProblems", "true");
  return apiFetch<T>(url, { method: "POST", body: form });
}

function KindPicker({ kind, onChange }: { kind: ImportKind; onChange: (kind: ImportKind) => void }) {
  const name = useId();
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-900">What does the file hold?</legend>
      <div className="mt-2 grid gap-3 sm:grid-cols-3">
        {(Object.keys(KIND_INFO) as ImportKind[]).map((k) => (
          <label
            key={k}
            className={`flex cursor-pointer gap-3 rounded-lg border p-3 transition-colors ${
              kind === k ? "border-blue-500 bg-blue-50/60 ring-1 ring-blue-500" : "border-slate-200 hover:border-slate-300"
            }`}
          >
            <input type="radio" name={name} value={k} checked={kind === k} onChange={() => onChange(k)} className="mt-1 accent-blue-600" />
            <span className="min-w-0">
              <span className="block font-medium text-slate-900">{KIND_INFO[k].title}</span>
              <span className="block text-sm text-slate-500">{KIND_INFO[k].description}</span>
            </span>
          </label>
        ))}
      </div>
      <p className="mt-2 text-xs text-slate-500">
        Columns: {KIND_INFO[kind].columns}. Header names may use spaces, underscores or camelCase.{" "}
        <a
          href={`data:text/csv;charset=utf-8,${encodeURIComponent(CSV_TEMPLATES[kind])}`}
          download={`${kind}-template.csv`}
          className="font-medium text-blue-700 hover:underline"
        >
          Download a template
        </a>
      </p>
    </fieldset>
  );
}

function DropZone({ file, onFile, disabled }: { file: File | null; onFile: (file: File) => void; disabled: boolean }) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped && !disabled) onFile(dropped);
  };
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    if (chosen) onFile(chosen);
    event.target.value = "";
  };
  return (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      className={`mt-5 flex flex-col items-center justify-center rounded-xl border-2 border-dashed px-4 py-8 text-center transition-colors ${
        dragging ? "border-blue-500 bg-blue-50" : "border-slate-300 bg-slate-50/60"
      }`}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-8 text-slate-400" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round">
        <path d="M12 16V4m0 0l-4 4m4-4l4 4M4 16v3a1 1 0 001 1h14a1 1 0 001-1v-3" />
      </svg>
      <p className="mt-2 text-sm text-slate-600">
        <label htmlFor={inputId} className="cursor-pointer font-semibold text-blue-700 hover:underline">
          Choose a CSV file
        </label>{" "}
        or drop it here
      </p>
      <p className="mt-1 text-xs text-slate-500">{file ? `${file.name} · ${formatBytes(file.size)}` : "Up to 20 MB. Comma, semicolon or tab separated, UTF-8."}</p>
      <input ref={input} id={inputId} type="file" accept=".csv,text/csv,text/plain" onChange={onChange} disabled={disabled} className="sr-only" />
    </div>
  );
}

/** Upload → preview (every row checked) → import all rows, or the valid ones when the admin chooses. */
export function CsvImport() {
  const [kind, setKind] = useState<ImportKind>("accounts");
  const [file, setFile] = useState<File | null>(null);
  const preview = useMutation({ mutationFn: (input: { kind: ImportKind; file: File }) => upload<PreviewResponse>("/api/admin/import/preview", input.kind, input.file) });
  const commit = useMutation({
    mutationFn: (input: { kind: ImportKind; file: File; skipProblems: boolean }) =>
      upload<CommitResponse>("/api/admin/import/commit", input.kind, input.file, input.skipProblems),
  });

  const choose = (next: File) => {
    setFile(next);
    commit.reset();
    preview.mutate({ kind, file: next });
  };
  const changeKind = (next: ImportKind) => {
    setKind(next);
    commit.reset();
    if (file) preview.mutate({ kind: next, file });
  };
  const startOver = () => {
    setFile(null);
    preview.reset();
    commit.reset();
  };

  // A 422 from the commit carries the analysis that blocked it (the data changed since the preview).
  const commitAnalysis =
    commit.error instanceof ApiRequestError ? ((commit.error.body as { analysis?: ImportAnalysis } | undefined)?.analysis ?? null) : null;
  const analysis = commitAnalysis ?? preview.data?.analysis ?? null;
  const importable = analysis !== null && analysis.fileProblems.length === 0 && analysis.problemCount === 0;
  const done = commit.data;

  if (done) {
    const skipped = done.analysis.problemCount;
    return (
      <section aria-labelledby="import-done" className="rounded-xl border border-emerald-200 bg-white p-5 shadow-sm sm:p-6" data-testid="import-done">
        <div className="flex items-start gap-3">
          <span aria-hidden="true" className="grid size-9 shrink-0 place-items-center rounded-full bg-emerald-100 text-emerald-700">
            <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
              <path d="M5 13l4 4L19 7" />
            </svg>
          </span>
          <div className="min-w-0">
            <h2 id="import-done" className="text-lg font-semibold text-slate-900">
              Imported {done.fileName}
            </h2>
            <p className="mt-1 text-sm text-slate-600">
              {done.analysis.kind === "accounts"
                ? `${formatCount(done.accountsCreated)} new and ${formatCount(done.accountsUpdated)} updated accounts. Scores are up to date.`
                : done.analysis.kind === "outcomes"
                  ? `${formatCount(done.outcomesCreated)} renewal outcomes recorded${done.outcomesUpdated > 0 ? `, ${formatCount(done.outcomesUpdated)} corrected` : ""}${done.duplicates > 0 ? `; ${formatCount(done.duplicates)} were already recorded as they are` : ""}.`
                  : `${formatCount(done.accepted)} events added${done.duplicates > 0 ? `; ${formatCount(done.duplicates)} were already there and were not counted again` : ""}. Scores are up to date.`}
            </p>
            {done.analysis.summary.heldEventTypes.length > 0 ? (
              <p className="mt-3 text-sm text-slate-600" data-testid="import-held-names">
                {done.analysis.summary.heldEventTypes.map((h) => `“${h.name}”`).join(", ")}{" "}
                {done.analysis.summary.heldEventTypes.length === 1 ? "nearly matches one of your event types and waits" : "nearly match your event types and wait"}, counting nothing,
                until you decide on{" "}
                <Link href="/admin/weights" className="font-medium text-blue-700 hover:underline">
                  Weights
                </Link>{" "}
                what {done.analysis.summary.heldEventTypes.length === 1 ? "it counts" : "they count"} for.
              </p>
            ) : null}
            {skipped > 0 && file ? (
              <div className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-600/20" data-testid="import-skipped">
                <p>
                  {formatCount(skipped)} {skipped === 1 ? "row with a problem was" : "rows with problems were"} skipped. Download them with their line and what is wrong, fix them, and
                  import that file: rows already imported count once.
                </p>
                <div className="mt-2">
                  <DownloadRejectsButton
                    kind={done.analysis.kind}
                    file={file}
                    count={skipped}
                    className="inline-flex items-center gap-1.5 rounded-md border border-amber-300 bg-white px-3 py-1.5 text-sm font-medium text-amber-900 shadow-sm hover:bg-amber-100 disabled:opacity-60"
                  />
                </div>
              </div>
            ) : null}
            <div className="mt-4 flex flex-wrap gap-2">
              <button type="button" onClick={startOver} className="rounded-md bg-blue-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-blue-700">
                Import another file
              </button>
              {done.analysis.kind === "outcomes" ? (
                <Link href="/insights" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50">
                  Does the score predict renewal?
                </Link>
              ) : (
                <Link href="/" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50">
                  Go to the overview
                </Link>
              )}
            </div>
          </div>
        </div>
      </section>
    );
  }

  const busy = preview.isPending || commit.isPending;
  return (
    <div className="flex flex-col gap-4">
      <section className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
        <KindPicker kind={kind} onChange={changeKind} />
        <DropZone file={file} onFile={choose} disabled={busy} />
        {preview.isPending ? (
          <p role="status" className="mt-3 flex items-center gap-2 text-sm text-slate-600">
            <span aria-hidden="true" className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-blue-600" />
            Checking every row…
          </p>
        ) : null}
        {preview.isError ? (
          <p role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            {preview.error instanceof ApiRequestError ? preview.error.message : "The file could not be checked. Try again."}
          </p>
        ) : null}
      </section>

      {analysis && file ? (
        <section aria-labelledby="preview-title" className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="import-preview">
          <header className="mb-4 flex flex-wrap items-start justify-between gap-3">
            <div className="min-w-0">
              <h2 id="preview-title" className="text-base font-semibold text-slate-900">
                Preview of {file.name}
              </h2>
              <p className="mt-0.5 text-sm text-slate-500">
                {KIND_INFO[analysis.kind].title} · {formatBytes(file.size)} · the first {Math.min(analysis.sample.length, analysis.summary.rows)} of{" "}
                {formatCount(analysis.summary.rows)} rows
              </p>
            </div>
            <div className="flex flex-wrap gap-2">
              <button type="button" onClick={startOver} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50">
                Choose another file
              </button>
              <button
                type="button"
                disabled={!importable || busy}
                onClick={() => commit.mutate({ kind: analysis.kind, file, skipProblems: false })}
                className="rounded-md bg-blue-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-blue-700 disabled:cursor-not-allowed disabled:bg-slate-300"
              >
                {commit.isPending ? "Importing…" : `Import ${formatCount(analysis.summary.rows)} ${analysis.summary.rows === 1 ? "row" : "rows"}`}
              </button>
            </div>
          </header>
          <div className="flex flex-col gap-4">
            <SummaryStats analysis={analysis} />
            <EventNameNotes summary={analysis.summary} />
            <ColumnChips analysis={analysis} />
            <ProblemList
              analysis={analysis}
              file={file}
              importing={commit.isPending}
              onImportValid={analysis.fileProblems.length === 0 ? () => commit.mutate({ kind: analysis.kind, file, skipProblems: true }) : undefined}
            />
            <SampleTable analysis={analysis} />
            {commit.isError && !commitAnalysis ? (
              <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
                {commit.error instanceof ApiRequestError ? commit.error.message : "The import failed; nothing was stored. Try again."}
              </p>
            ) : null}
          </div>
        </section>
      ) : null}
    </div>
  );
}
