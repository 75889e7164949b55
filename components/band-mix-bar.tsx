import { BAND_INFO, BANDS, type Band } from "@/lib/scoring/bands";
import { formatCount, formatPercent } from "@/lib/format";
import { BAND_CLASSES } from "./band-style";

/** A 100 % stacked bar of how accounts split over the bands, with an accessible summary. */
export function BandMixBar({ counts, label }: { counts: Record<Band, number>; label: string }) {
  const total = BANDS.reduce((s, b) => s + counts[b], 0);
  const summary = BANDS.map((b) => `${BAND_INFO[b].label} ${formatCount(counts[b])}`).join(", ");
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
    </div>
  );
}
