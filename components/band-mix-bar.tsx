import { BAND_INFO, BANDS, type Band } from "@/lib/scoring/bands";
import { NOT_ACTIVE_YET_LABEL } from "@/lib/scoring/standing";
import { formatCount, formatPercent } from "@/lib/format";
import { BAND_CLASSES } from "./band-style";

/**
 * A 100 % stacked bar of how accounts split over the bands, with an accessible summary; the
 * accounts not active yet (outside the bands) are a grey part of their own when given.
 */
export function BandMixBar({ counts, notActiveYet = 0, label }: { counts: Record<Band, number>; notActiveYet?: number; label: string }) {
  const total = BANDS.reduce((s, b) => s + counts[b], 0) + notActiveYet;
  const summary = [
    ...BANDS.map((b) => `${BAND_INFO[b].label} ${formatCount(counts[b])}`),
    ...(notActiveYet > 0 ? [`${NOT_ACTIVE_YET_LABEL} ${formatCount(notActiveYet)}`] : []),
  ].join(", ");
  return (
    <div role="img" aria-label={`${label}: ${summary}`} className="flex h-3 w-full overflow-hidden rounded-full bg-slate-100">
      {total > 0
        ? BANDS.map((b) =>
            counts[b] > 0 ? (
              <div
                key={b}
                className={BAND_CLASSES[b].bar}
                style={{ width: `${(counts[b] / total) * 100}%` }}
                title={`${BAND_INFO[b].label}: ${formatCount(counts[b])} (${formatPercent(counts[b] / total)})`}
              />
            ) : null,
          )
        : null}
      {total > 0 && notActiveYet > 0 ? (
        <div
          className="bg-not-active"
          style={{ width: `${(notActiveYet / total) * 100}%` }}
          title={`${NOT_ACTIVE_YET_LABEL}: ${formatCount(notActiveYet)} (${formatPercent(notActiveYet / total)})`}
        />
      ) : null}
    </div>
  );
}
