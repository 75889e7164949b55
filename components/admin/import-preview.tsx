"use client";

import Link from "next/link";
import { formatCount } from "@/lib/format";
import { isRejectColumn } from "@/lib/ingestion/reject-columns";
import type { ImportAnalysis } from "@/lib/ingestion/server/import/csv-import";

/** The parts of the import page's preview of a checked file: figures, columns, first rows, event names. */
export function SummaryStats({ analysis }: { analysis: ImportAnalysis }) {
  const s = analysis.summary;
  const items =
    analysis.kind === "accounts"
      ? [
          ["Rows", s.rows],
          ["New accounts", s.newAccounts],
          ["Updated accounts", s.updatedAccounts],
          ["Rows with problems", analysis.problemCount],
        ]
      : analysis.kind === "outcomes"
        ? [
            ["Rows", s.rows],
            ["New outcomes", s.newOutcomes],
            ["Already recorded", s.knownOutcomes],
            ["Rows with problems", analysis.problemCount],
          ]
        : [
          ["Rows", s.rows],
          ["Events", s.events],
          ["New event types", s.newEventTypes.length],
          ["Rows with problems", analysis.problemCount],
        ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {items.map(([label, value]) => (
        <div key={label} className="rounded-lg border border-slate-200 px-3 py-2">
          <dt className="text-xs text-slate-500">{label}</dt>
          <dd className={`text-lg font-semibold tabular-nums ${label === "Rows with problems" && Number(value) > 0 ? "text-red-700" : "text-slate-900"}`}>
            {formatCount(Number(value))}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * How each column is read. In an events file, a column that is no field of an event is one of
 * its properties: not stored, but part of what the row says (rows that differ there are
 * different events). The columns a rejects file adds are ignored.
 */
function columnRole(kind: ImportAnalysis["kind"], header: string, field: string | null): { note: string | null; title: string } {
  if (field) return { note: null, title: `read as ${field}` };
  if (kind === "events" && header !== "" && !isRejectColumn(header)) {
    return { note: "property", title: "Not stored, but part of what the row says: rows that differ here are different events" };
  }
  return { note: "ignored", title: isRejectColumn(header) ? "Added by a rejects file: not part of the row" : "Not used" };
}

export function ColumnChips({ analysis }: { analysis: ImportAnalysis }) {
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Columns">
      {analysis.columns.map((c, i) => {
        const role = columnRole(analysis.kind, c.header, c.field);
        return (
          <li
            key={`${c.header}-${i}`}
            className={`rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ${
              c.field ? "bg-blue-50 text-blue-800 ring-blue-600/20" : "bg-slate-100 text-slate-500 ring-slate-400/20"
            }`}
            title={role.title}
          >
            {c.header || "(blank)"}
            {role.note ? <span className="font-normal"> · {role.note}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

export function SampleTable({ analysis }: { analysis: ImportAnalysis }) {
  if (analysis.sample.length === 0) return null;
  const problemLines = new Set(analysis.problems.map((p) => p.line));
  return (
    <div className="overflow-x-auto relative rounded-lg border border-slate-200">
      <table className="min-w-full text-left text-sm" aria-label="First rows">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Line
            </th>
            {analysis.columns.map((c, i) => (
              <th key={`${c.header}-${i}`} scope="col" className={`whitespace-nowrap px-3 py-2 font-medium ${c.field ? "" : "text-slate-400"}`}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {analysis.sample.map((row) => (
            <tr key={row.line} className={problemLines.has(row.line) ? "bg-red-50/70" : undefined}>
              <td className={`px-3 py-1.5 tabular-nums ${problemLines.has(row.line) ? "font-medium text-red-700" : "text-slate-400"}`}>{row.line}</td>
              {analysis.columns.map((c, i) => (
                <td key={`${c.header}-${i}`} className={`max-w-56 truncate whitespace-nowrap px-3 py-1.5 ${c.field ? "text-slate-800" : "text-slate-400"}`}>
                  {row.cells[i] ?? ""}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the file's event names will count for (lib/ingestion/event-names.ts). */
export function EventNameNotes({ summary }: { summary: ImportAnalysis["summary"] }) {
  const { newEventTypes, heldEventTypes, matchedEventNames } = summary;
  return (
    <>
      {matchedEventNames.length > 0 ? (
        <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-300/60" data-testid="matched-event-names">
          Counted for your event types: {matchedEventNames.map((m) => `“${m.name}” → ${m.type}`).join("; ")}.
        </p>
      ) : null}
      {heldEventTypes.length > 0 ? (
        <div className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20" data-testid="held-event-names">
          <p>
            These names nearly match your event types; their events will wait, counting nothing, until an admin maps them on{" "}
            <Link href="/admin/weights" className="font-medium underline">
              Weights
            </Link>
            :
          </p>
          <ul className="mt-1 list-disc pl-5">
            {heldEventTypes.map((h) => (
              <li key={h.name}>
                “{h.name}”{h.suggestions.length > 0 ? ` — did you mean ${h.suggestions.join(" or ")}?` : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {newEventTypes.length > 0 ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20">
          New event types, registered with weight 0 until you weigh them: {newEventTypes.join(", ")}.
        </p>
      ) : null}
    </>
  );
}
