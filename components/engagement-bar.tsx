import { ENGAGEMENT_CLASSES, ENGAGEMENT_LABELS, type EngagementIndex } from "@/lib/scoring/engagement";
import { formatPercent } from "@/lib/format";
import { engagementColor } from "./charts/palette";

/** The engagement index as a 100 % bar with the three percentages beneath. */
export function EngagementBar({ index, compact = false }: { index: EngagementIndex; compact?: boolean }) {
  const summary = ENGAGEMENT_CLASSES.map((c) => `${ENGAGEMENT_LABELS[c]} ${formatPercent(index.shares[c])}`).join(", ");
  return (
    <div className="min-w-0">
      <div role="img" aria-label={`Engagement index: ${summary}`} className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100">
        {ENGAGEMENT_CLASSES.map((c) =>
          index.shares[c] > 0 ? (
            <div key={c} style={{ width: `${index.shares[c] * 100}%`, background: engagementColor(c) }} title={`${ENGAGEMENT_LABELS[c]}: ${formatPercent(index.shares[c])}`} />
          ) : null,
        )}
      </div>
      <p className={`mt-1 flex gap-2 tabular-nums text-slate-600 ${compact ? "text-[11px]" : "text-xs"}`} aria-hidden="true">
        {ENGAGEMENT_CLASSES.map((c) => (
          <span key={c} className="whitespace-nowrap">
            <span className="mr-0.5 inline-block size-1.5 rounded-full align-middle" style={{ background: engagementColor(c) }} />
            {formatPercent(index.shares[c])}
          </span>
        ))}
      </p>
    </div>
  );
}
