import { BandBadge } from "@/components/band-badge";
import { BAND_CLASSES, bandColor } from "@/components/band-style";
import { Card } from "@/components/card";
import { RateInterval } from "@/components/charts/rate-interval";
import { formatCount, formatPercent } from "@/lib/format";
import { MIN_RENEWALS_TO_JUDGE, type RateRow, type ValidationData, type Verdict } from "@/lib/insights/validation";
import type { Band } from "@/lib/scoring/bands";

const VERDICTS: Record<Verdict, { label: string; className: string }> = {
  as_promised: { label: "As the playbook says", className: "bg-emerald-50 text-emerald-800 ring-emerald-600/20" },
  higher: { label: "Higher than the playbook says", className: "bg-blue-50 text-blue-800 ring-blue-600/20" },
  lower: { label: "Lower than the playbook says", className: "bg-red-50 text-red-800 ring-red-600/20" },
  too_few: { label: "Too few to judge", className: "bg-amber-50 text-amber-800 ring-amber-600/20" },
};

const TIER_COLOR_BAND: Record<string, Band> = { high: "high", medium: "medium", low: "low" };

function rateText(row: RateRow): string {
  return row.rate === null ? "—" : formatPercent(row.rate);
}

function intervalText(row: RateRow): string {
  return row.lower === null || row.upper === null ? "" : `${formatPercent(row.lower)}–${formatPercent(row.upper)}`;
}

/** Renewal rate per tier beside what the playbook says of it, then per band. */
export function TierRates({ data }: { data: ValidationData }) {
  return (
    <Card
      title="Renewal rate by tier"
      description={`Accounts up for renewal, grouped by their score ${data.lead} days before it, against what the score bands' playbook says of each call-list tier. Bars are 95 % intervals (Wilson); grey boxes the playbook's range.`}
    >
      <div className="-mx-4 overflow-x-auto sm:mx-0">
        <table className="min-w-full text-left text-sm" aria-label="Renewal rate by tier">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr className="border-b border-slate-200">
              <th scope="col" className="px-4 py-2 font-medium sm:pl-0">
                Score
              </th>
              <th scope="col" className="hidden px-3 py-2 text-right font-medium sm:table-cell">
                Up for renewal
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Renewed
              </th>
              <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
                <span className="sr-only">Interval</span>
              </th>
              <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
                Playbook
              </th>
              <th scope="col" className="px-4 py-2 font-medium sm:pr-0">
                Verdict
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.tiers.map((t) => {
              const band = TIER_COLOR_BAND[t.tier] ?? "medium";
              return (
                <tr key={t.tier} data-testid={`tier-rate-${t.tier}`} data-rate={t.rate ?? ""} data-n={t.n}>
                  <th scope="row" className="whitespace-nowrap px-4 py-3 font-medium text-slate-900 sm:pl-0">
                    <span className="flex items-center gap-2">
                      <span aria-hidden="true" className={`size-2.5 rounded-full ${BAND_CLASSES[band].dot}`} />
                      {t.label}
                    </span>
                    <span className="mt-0.5 block pl-4.5 text-xs font-normal text-slate-500 sm:hidden">{formatCount(t.n)} up for renewal</span>
                  </th>
                  <td className="hidden px-3 py-3 text-right tabular-nums text-slate-700 sm:table-cell">{formatCount(t.n)}</td>
                  <td className="whitespace-nowrap px-3 py-3 text-right tabular-nums">
                    <span className="font-semibold text-slate-900">{rateText(t)}</span>
                    <span className="block text-xs text-slate-500">{intervalText(t)}</span>
                  </td>
                  <td className="hidden px-3 py-3 md:table-cell">
                    {t.rate !== null && t.lower !== null && t.upper !== null ? (
                      <RateInterval
                        rate={t.rate}
                        lower={t.lower}
                        upper={t.upper}
                        promise={t.promise}
                        color={bandColor(band)}
                        label={`${t.label}: ${rateText(t)} renewed (${intervalText(t)}); the playbook says ${t.promise.reads}`}
                      />
                    ) : null}
                  </td>
                  <td className="hidden px-3 py-3 text-slate-700 sm:table-cell">
                    “{t.promise.text}”<span className="block text-xs text-slate-500">read as {t.promise.reads}</span>
                  </td>
                  <td className="px-4 py-3 sm:pr-0">
                    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset sm:whitespace-nowrap ${VERDICTS[t.verdict].className}`}>
                      {VERDICTS[t.verdict].label}
                    </span>
                    <span className="mt-1 block text-xs text-slate-500 sm:hidden">
                      Playbook: “{t.promise.text}” ({t.promise.reads})
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <details className="mt-4 rounded-lg border border-slate-200 px-3 py-2 text-sm">
        <summary className="cursor-pointer font-medium text-slate-700">By band</summary>
        <table className="mt-2 min-w-full text-left text-sm" aria-label="Renewal rate by band">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-1.5 pr-3 font-medium">
                Band
              </th>
              <th scope="col" className="px-3 py-1.5 font-medium">
                Score
              </th>
              <th scope="col" className="px-3 py-1.5 text-right font-medium">
                Up for renewal
              </th>
              <th scope="col" className="py-1.5 pl-3 text-right font-medium">
                Renewed
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.bands.map((b) => (
              <tr key={b.band}>
                <td className="py-1.5 pr-3">
                  <BandBadge band={b.band} />
                </td>
                <td className="whitespace-nowrap px-3 py-1.5 tabular-nums text-slate-600">{b.range}</td>
                <td className="px-3 py-1.5 text-right tabular-nums text-slate-700">{formatCount(b.n)}</td>
                <td className="whitespace-nowrap py-1.5 pl-3 text-right tabular-nums text-slate-900">
                  {rateText(b)} <span className="text-xs text-slate-500">{intervalText(b)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p className="mt-3 text-xs text-slate-500">
        Renewed means the customer stayed: renewed, expanded or contracted. A tier needs {MIN_RENEWALS_TO_JUDGE} accounts up for renewal before it is judged against the
        playbook.
      </p>
    </Card>
  );
}
