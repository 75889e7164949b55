import { BAND_INFO, bandRangeLabel, type BandThresholds } from "@/lib/scoring/bands";
import type { BandCount } from "@/lib/server/overview";
import { formatCount, formatPercent } from "@/lib/format";
import { BAND_CLASSES } from "../band-style";

/** One card per band: how many accounts, their share, the range and the playbook. */
export function BandCards({ bandCounts, thresholds }: { bandCounts: BandCount[]; thresholds: BandThresholds }) {
  return (
    <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" aria-label="Accounts per band">
      {[...bandCounts].reverse().map(({ band, count, share }) => (
        <li
          key={band}
          data-testid={`band-count-${band}`}
          data-count={count}
          className="relative overflow-hidden rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
        >
          <span aria-hidden="true" className={`absolute inset-x-0 top-0 h-1 ${BAND_CLASSES[band].bar}`} />
          <div className="flex items-baseline justify-between gap-2">
            <h3 className={`text-sm font-semibold ${BAND_CLASSES[band].text}`}>{BAND_INFO[band].label}</h3>
            <span className="text-xs tabular-nums text-slate-500">{bandRangeLabel(band, thresholds)}</span>
          </div>
          <p className="mt-2 text-2xl font-semibold tabular-nums text-slate-900">{formatCount(count)}</p>
          <p className="text-xs text-slate-500">{formatPercent(share)} of accounts</p>
          <p className="mt-2 hidden text-xs leading-snug text-slate-500 sm:block">{BAND_INFO[band].playbook}</p>
        </li>
      ))}
    </ul>
  );
}
