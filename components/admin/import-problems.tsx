"use client";

import { useMutation } from "@tanstack/react-query";
import { ApiRequestError, apiDownload } from "@/lib/http/api-client";
import { formatCount } from "@/lib/format";
import type { ImportKind } from "@/lib/ingestion/import-kinds";
import { rejectsPathFor } from "@/lib/ingestion/rejects";
import type { ImportAnalysis } from "@/lib/ingestion/server/import/csv-import";

/** The rejects file of an upload (every row with a problem, with its line, column and reason). */
function downloadRejects(input: { kind: ImportKind; file: File }): Promise<void> {
  const form = new FormData();
  form.set("kind", input.kind);
  form.set("file", input.file);
  return apiDownload("/api/admin/import/rejects", { method: "POST", body: form }, rejectsPathFor(input.file.name));
}

/** "Download the rows with problems" — the same file `npm run import` writes beside its input. */
export function DownloadRejectsButton({ kind, file, count, className }: { kind: ImportKind; file: File; count: number; className: string }) {
  const download = useMutation({ mutationFn: downloadRejects });
  return (
    <span className="inline-flex flex-col gap-1">
      <button type="button" onClick={() => download.mutate({ kind, file })} disabled={download.isPending} className={className} data-testid="download-rejects">
        <svg aria-hidden="true" viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
          <path d="M12 4v12m0 0l-4-4m4 4l4-4M4 20h16" />
        </svg>
        {download.isPending ? "Preparing…" : `Download the ${formatCount(count)} ${count === 1 ? "row" : "rows"} with problems (CSV)`}
      </button>
      {download.isError ? (
        <span role="alert" className="text-xs text-red-700">
          {download.error instanceof ApiRequestError ? download.error.message : "The download failed. Try again."}
        </span>
      ) : null}
    </span>
  );
}

const SECONDARY = "inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-60";

/** Every problem of a checked file: counted by reason, the first ones by line, and what to do about them. */
export function ProblemList({
  analysis,
  file,
  onImportValid,
  importing,
}: {
  analysis: ImportAnalysis;
  file: File;
  /** Imports the valid rows and skips the rest; absent when there is nothing valid to import. */
  onImportValid?: () => void;
  importing: boolean;
}) {
  if (analysis.fileProblems.length === 0 && analysis.problemCount === 0) return null;
  const valid = analysis.summary.rows - analysis.problemCount;
  return (
    <section aria-labelledby="problems-title" className="rounded-lg border border-red-200 bg-red-50/60 p-3 sm:p-4" data-testid="import-problems">
      <h3 id="problems-title" className="font-semibold text-red-900">
        {analysis.fileProblems.length > 0
          ? "The file cannot be imported"
          : `${formatCount(analysis.problemCount)} ${analysis.problemCount === 1 ? "row has a problem" : "rows have problems"}`}
      </h3>
      {analysis.fileProblems.length > 0 ? (
        <>
          <p className="mt-0.5 text-sm text-red-800">Nothing has been imported. Fix the file and choose it again.</p>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-red-900">
            {analysis.fileProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <p className="mt-0.5 text-sm text-red-800">
            Nothing has been imported yet. Fix the rows and choose the file again
            {valid > 0 ? <>, or import the {formatCount(valid)} valid rows now and fix these later: the download lists each one with its line and what is wrong, ready to correct and import.</> : "."}
          </p>
          <ul className="mt-3 space-y-1 text-sm text-red-900" aria-label="Problems by reason" data-testid="problems-by-reason">
            {analysis.problemsByReason.map((r) => (
              <li key={`${r.field}\u0000${r.reason}`} className="flex gap-2">
                <span className="w-14 shrink-0 text-right font-semibold tabular-nums">{formatCount(r.count)}</span>
                <span className="min-w-0 break-words">
                  {r.field ? <span className="font-mono text-xs">{r.field}</span> : null}
                  {r.field ? " " : null}
                  {r.reason}
                </span>
              </li>
            ))}
          </ul>
          <div className="mt-3 flex flex-wrap items-start gap-2">
            <DownloadRejectsButton kind={analysis.kind} file={file} count={analysis.problemCount} className={SECONDARY} />
            {onImportValid && valid > 0 ? (
              <button
                type="button"
                onClick={onImportValid}
                disabled={importing}
                className="rounded-md bg-red-700 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 disabled:opacity-60"
              >
                {importing ? "Importing…" : `Import the ${formatCount(valid)} valid ${valid === 1 ? "row" : "rows"}, skip ${formatCount(analysis.problemCount)}`}
              </button>
            ) : null}
          </div>
          <div className="mt-3 max-h-80 overflow-auto rounded-md border border-red-200 bg-white">
            <table className="min-w-full text-left text-sm" aria-label="Problems">
              <thead className="sticky top-0 bg-white text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Line
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Column
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Problem
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {analysis.problems.map((p, i) => (
                  <tr key={`${p.line}-${i}`} data-testid="import-problem">
                    <td className="px-3 py-1.5 tabular-nums text-slate-700">{p.line}</td>
                    <td className="whitespace-nowrap px-3 py-1.5 font-mono text-xs text-slate-700">{p.field || "—"}</td>
                    <td className="px-3 py-1.5 text-slate-800">{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {analysis.problemCount > analysis.problems.length ? (
              <p className="px-3 py-2 text-xs text-slate-500">
                …and {formatCount(analysis.problemCount - analysis.problems.length)} more: the first {analysis.problems.length} are listed, the download has all of them.
              </p>
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}
