"use client";

import Link from "next/link";
import { DistributionCompare } from "@/components/charts/distribution-compare";
import { formatAverage, formatCount, formatDelta, formatPoints } from "@/lib/format";
import { describeChange } from "@/lib/scoring/describe-change";
import type { ScoringPreview } from "@/lib/scoring/server/scoring-config";
import { BandBadge } from "../band-badge";
import { Card } from "../card";
import { BandMoveMatrix } from "./band-move-matrix";


/** What the edited configuration would do, over every account, before anything is saved. */
export function PreviewPanel({ preview, labels }: { preview: ScoringPreview; labels: Record<string, string> }) {
  const distribution = preview.histogramAfter.map((bin, i) => ({
    label: bin.label,
    before: preview.histogramBefore[i]?.count ?? 0,
    after: bin.count,
  }));
  return (
    <Card title="Impact of your changes" description={`Computed on the server over all ${formatCount(preview.accounts)} accounts`}>
      <ul className="mb-4 list-disc space-y-0.5 pl-5 text-sm text-slate-700" aria-label="Changes">
        {preview.changes.map((c) => (
          <li key={JSON.stringify(c)}>{describeChange(c, labels)}</li>
        ))}
      </ul>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <div className="rounded-lg bg-slate-50 p-3">
          <dt className="text-xs text-slate-500">Accounts changing band</dt>
          <dd className="text-xl font-semibold tabular-nums" data-testid="preview-moved">
            {formatCount(preview.movedBand)}
          </dd>
        </div>
        <div className="rounded-lg bg-slate-50 p-3">
          <dt className="text-xs text-slate-500">Scores changing</dt>
          <dd className="text-xl font-semibold tabular-nums">{formatCount(preview.changedScore)}</dd>
        </div>
        <div className="rounded-lg bg-slate-50 p-3">
          <dt className="text-xs text-slate-500">Average score</dt>
          <dd className="text-xl font-semibold tabular-nums" data-testid="preview-mean">
            {preview.meanBeforeHundredths === null ? "—" : formatAverage(preview.meanBeforeHundredths)} →{" "}
            {preview.meanAfterHundredths === null ? "—" : formatAverage(preview.meanAfterHundredths)}
          </dd>
        </div>
        <div className="rounded-lg bg-slate-50 p-3">
          <dt className="text-xs text-slate-500">Declining accounts</dt>
          <dd className="text-xl font-semibold tabular-nums">
            {formatCount(preview.decliningBefore)} → {formatCount(preview.decliningAfter)}
          </dd>
        </div>
      </dl>

      <h3 className="mt-6 text-sm font-semibold text-slate-900">Band moves</h3>
      <p className="mb-2 text-xs text-slate-500">Rows: band now. Columns: band with your changes. Highlighted cells are accounts that move.</p>
      <BandMoveMatrix moves={preview.moves} />

      <h3 className="mt-6 text-sm font-semibold text-slate-900">Score distribution</h3>
      <DistributionCompare data={distribution} />

      <h3 className="mt-6 text-sm font-semibold text-slate-900">Accounts that move most</h3>
      {preview.biggestMovesNamed.length === 0 ? (
        <p className="text-sm text-slate-500">No account&apos;s score changes.</p>
      ) : (
        <div className="-mx-4 overflow-x-auto relative sm:mx-0">
          <table className="w-full min-w-[34rem] text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                <th scope="col" className="px-4 py-2 font-medium sm:px-2">Account</th>
                <th scope="col" className="px-2 py-2 text-right font-medium">Now</th>
                <th scope="col" className="px-2 py-2 text-right font-medium">After</th>
                <th scope="col" className="px-2 py-2 text-right font-medium">Change</th>
                <th scope="col" className="px-4 py-2 font-medium sm:px-2">Band</th>
              </tr>
            </thead>
            <tbody>
              {preview.biggestMovesNamed.map((m) => (
                <tr key={m.accountId} className="border-b border-slate-100 last:border-0">
                  <td className="max-w-[14rem] truncate px-4 py-2 font-medium sm:px-2">
                    <Link href={`/accounts/${m.accountId}`} className="hover:text-blue-700 hover:underline">
                      {m.name}
                    </Link>
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatPoints(m.beforeHundredths)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatPoints(m.afterHundredths)}</td>
                  <td className="whitespace-nowrap px-2 py-2 text-right font-medium tabular-nums">{formatDelta(m.afterHundredths - m.beforeHundredths)}</td>
                  <td className="whitespace-nowrap px-4 py-2 sm:px-2">
                    {m.bandBefore === m.bandAfter ? (
                      <BandBadge band={m.bandAfter} />
                    ) : (
                      <span className="inline-flex items-center gap-1">
                        <BandBadge band={m.bandBefore} className="opacity-70" /> <span aria-label="to">→</span> <BandBadge band={m.bandAfter} />
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
