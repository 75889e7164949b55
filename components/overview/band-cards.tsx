import Link from "next/link";
import { everyoneListHref } from "@/lib/accounts/lists/query";
import { formatCount, formatPercent } from "@/lib/format";
import { BAND_INFO, bandRangeLabel, tierFor, type BandThresholds } from "@/lib/scoring/bands";
import { NOT_ACTIVE_YET_LABEL } from "@/lib/scoring/standing";
import type { BandCount, NotActiveYetCount } from "@/lib/overview/server/overview";
import { BAND_CLASSES } from "../band-style";

const CARD = "relative block h-full overflow-hidden rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition-colors hover:border-slate-300 hover:bg-slate-50/60";

/**
 * One card per band, then the accounts not active yet: how many, their share, the range and
 * the playbook. Each card opens the list of exactly the accounts it counts.
 */
export function BandCards({
  bandCounts,
  notActiveYet,
  churnRiskSilent,
  thresholds,
  windowDays,
}: {
  bandCounts: BandCount[];
  notActiveYet: NotActiveYetCount;
  churnRiskSilent: number;
  thresholds: BandThresholds;
  windowDays: number;
}) {
  return (
    <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="Accounts per band">
      {[...bandCounts].reverse().map(({ band, count, share }) => (
        <li key={band} data-testid={`band-count-${band}`} data-count={count}>
          <Link href={everyoneListHref(tierFor(band), band)} className={CARD}>
            <span aria-hidden="true" className={`absolute inset-x-0 top-0 h-1 ${BAND_CLASSES[band].bar}`} />
            <div className="flex items-baseline justify-between gap-2">
              <h3 className={`text-sm font-semibold ${BAND_CLASSES[band].text}`}>{BAND_INFO[band].label}</h3>
              <span className="text-xs tabular-nums text-slate-500">{bandRangeLabel(band, thresholds)}</span>
            </div>
            <p className="mt-2 text-2xl font-semibold tabular-nums text-slate-900">{formatCount(count)}</p>
            <p className="text-xs text-slate-500">{formatPercent(share)} of accounts</p>
            {band === "churn_risk" ? (
              <p className="mt-1 text-xs leading-snug text-slate-700" data-testid="churn-risk-split">
                {formatCount(churnRiskSilent)} silent · {formatCount(count - churnRiskSilent)} negative signals
              </p>
            ) : null}
            <p className="mt-2 hidden text-xs leading-snug text-slate-500 sm:block">
              {band === "churn_risk"
                ? `Silent (no scored event in ${windowDays} days) or negative signals outweigh usage: intervene now.`
                : BAND_INFO[band].playbook}
            </p>
          </Link>
        </li>
      ))}
      <li data-testid="band-count-not_active_yet" data-count={notActiveYet.count}>
        <Link href={everyoneListHref("onboarding")} className={CARD}>
          <span aria-hidden="true" className="absolute inset-x-0 top-0 h-1 bg-not-active" />
          <div className="flex items-baseline justify-between gap-2">
            <h3 className="text-sm font-semibold text-slate-700">{NOT_ACTIVE_YET_LABEL}</h3>
            <span className="text-xs text-slate-500">new</span>
          </div>
          <p className="mt-2 text-2xl font-semibold tabular-nums text-slate-900">{formatCount(notActiveYet.count)}</p>
          <p className="text-xs text-slate-500">{formatPercent(notActiveYet.share)} of accounts</p>
          <p className="mt-2 hidden text-xs leading-snug text-slate-500 sm:block">
            First {windowDays} days, no scored event yet: onboarding, not churn risk.
          </p>
        </Link>
      </li>
    </ul>
  );
}
