"use client";

import { Card } from "@/components/card";
import { formatCount, formatDeltaFine, formatInterval, formatPercent, formatAverage } from "@/lib/format";
import type { CompareData, ComparisonFigure, GroupFigure } from "@/lib/teams/compare/types";
import type { WindowDays } from "@/lib/teams/params";
import { DriftStrip, sharedDomain } from "./drift";
import { VerdictBadge } from "./verdict-style";

function mean(g: GroupFigure): string {
  return g.meanHundredths === null ? "—" : formatAverage(g.meanHundredths);
}

function ChangeFigures({ row }: { row: ComparisonFigure }) {
  const d = row.meanDifference;
  if (!d) return <span className="text-slate-500">—</span>;
  return (
    <>
      <span className="font-semibold tabular-nums">{formatDeltaFine(d.estimateHundredths)}</span>
      <span className="block text-xs font-normal tabular-nums text-slate-600">{formatInterval(d.lowerHundredths, d.upperHundredths)}</span>
      {row.medianDifference ? (
        <span className="block text-xs font-normal tabular-nums text-slate-500">median {formatDeltaFine(row.medianDifference.estimateHundredths)}</span>
      ) : null}
    </>
  );
}

/** Holm's level, where it decided the row: a call that held at it, or one that it took back. */
function judgedAt(row: ComparisonFigure): string | null {
  const decided = row.verdict.kind === "higher" || row.verdict.kind === "lower" || row.verdict.reason === "correction";
  return decided && row.judgedAt > 0.95 + 1e-9 ? `judged at ${formatPercent(row.judgedAt, 1)} (Holm)` : null;
}

export function ExistingCard({ data, onWindow }: { data: CompareData; onWindow: (window: WindowDays) => void }) {
  const rows = data.existing.rows;
  const domain = sharedDomain(rows);
  const all = rows[0];
  const suggested = data.existing.suggestedWindow;
  return (
    <Card
      title={`Existing accounts, by ${data.dimensionLabel.toLowerCase()}`}
      description={`Paired: each account scored throughout both periods is compared with itself — its mean daily score in the ${data.windowDays} days after the change minus the ${data.windowDays} days before`}
    >
      {suggested ? (
        <div role="note" className="mb-3 flex flex-wrap items-center gap-2 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span>
            The same accounts drift over time, so they are judged against quiet dates on both sides of the change; at {data.windowDays} days this history has too few.
          </span>
          <button type="button" onClick={() => onWindow(suggested)} className="rounded-md bg-white px-2.5 py-1 text-sm font-medium text-amber-900 ring-1 ring-amber-300 hover:bg-amber-100">
            Judge at {suggested} days
          </button>
        </div>
      ) : null}
      <div className="-mx-5 hidden overflow-x-auto md:block">
        <table className="w-full min-w-[60rem] text-sm" data-testid="before-after-table">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              <th scope="col" className="py-2 pl-5 pr-2 font-medium">Segment</th>
              <th scope="col" className="px-2 py-2 text-right font-medium">Before</th>
              <th scope="col" className="px-2 py-2 text-right font-medium">After</th>
              <th scope="col" className="px-2 py-2 text-right font-medium">Change, 95 % interval</th>
              <th scope="col" className="px-2 py-2 font-medium">Against quiet dates</th>
              <th scope="col" className="py-2 pl-2 pr-5 font-medium">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className={`border-b border-slate-100 align-top last:border-0 ${row === all ? "bg-slate-50/70" : ""}`} data-testid={`compare-row-${row.key}`}>
                <th scope="row" className="max-w-[12rem] py-2.5 pl-5 pr-2 text-left font-medium text-slate-900">
                  <span className="block truncate">{row.label}</span>
                  <span className="block text-xs font-normal text-slate-500">paired · {formatCount(row.before.n)} accounts</span>
                </th>
                <td className="px-2 py-2.5 text-right tabular-nums">{mean(row.before)}</td>
                <td className="px-2 py-2.5 text-right tabular-nums">{mean(row.after)}</td>
                <td className="px-2 py-2.5 text-right">
                  <ChangeFigures row={row} />
                </td>
                <td className="px-2 py-2.5">
                  <DriftStrip row={row} domain={domain} />
                </td>
                <td className="max-w-[24rem] py-2.5 pl-2 pr-5" data-testid="verdict" data-kind={row.verdict.kind} data-reason={row.verdict.reason ?? ""}>
                  <VerdictBadge verdict={row.verdict} />
                  <p className="mt-1 text-xs text-slate-600">{row.verdict.text}</p>
                  {judgedAt(row) ? <p className="mt-0.5 text-xs text-slate-500">{judgedAt(row)}</p> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="flex flex-col gap-3 md:hidden">
        {rows.map((row) => (
          <li key={row.key} className="rounded-lg border border-slate-200 p-3" data-testid={`compare-card-${row.key}`}>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="min-w-0 truncate font-medium text-slate-900">{row.label}</span>
              <VerdictBadge verdict={row.verdict} />
            </div>
            <dl className="mt-2 grid grid-cols-3 gap-2 text-center text-xs">
              <div>
                <dt className="text-slate-500">Before</dt>
                <dd className="text-sm font-semibold tabular-nums">{mean(row.before)}</dd>
              </div>
              <div>
                <dt className="text-slate-500">After</dt>
                <dd className="text-sm font-semibold tabular-nums">{mean(row.after)}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Change</dt>
                <dd className="text-sm">
                  <ChangeFigures row={row} />
                </dd>
              </div>
            </dl>
            <div className="mt-2">
              <DriftStrip row={row} domain={domain} width="100%" />
            </div>
            <p className="mt-1 text-xs text-slate-600">{row.verdict.text}</p>
            <p className="mt-0.5 text-xs text-slate-500">Paired · {formatCount(row.before.n)} accounts{judgedAt(row) ? ` · ${judgedAt(row)}` : ""}</p>
          </li>
        ))}
      </ul>
      <div className="mt-3 space-y-1 text-xs text-slate-500">
        <p>
          Strip: grey ticks are the same comparison at quiet dates (no change in their windows); shaded is the normal range, what quiet dates and chance
          produce; the coloured bar is this change&apos;s difference and its 95 % interval.
        </p>
        {all && all.unpaired > 0 ? (
          <p>{formatCount(all.unpaired)} accounts scored through one period only (most joined during the first) are left out of the pairing; the new-accounts view covers them.</p>
        ) : null}
        <p>
          {data.existing.correctedRows > 1
            ? `The ${data.existing.correctedRows} segments that could be judged are corrected together for multiple comparisons (Holm), so one of them reading "higher" by chance is as unlikely as for a single comparison; "All accounts" is one comparison of its own.`
            : "Segments are corrected for multiple comparisons (Holm) when more than one can be judged; \"All accounts\" is one comparison of its own."}
        </p>
      </div>
    </Card>
  );
}
