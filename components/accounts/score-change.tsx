import { formatDeltaFine } from "@/lib/format";
import type { Band } from "@/lib/scoring/bands";
import { standingMove, type Activity } from "@/lib/scoring/standing";

/**
 * The change against the comparison day: an arrow and a signed delta, coloured by direction.
 * A new account (null: it did not exist on the comparison day) has no change: it reads "new".
 */
export function ScoreChange({ deltaHundredths, compareDays, className = "" }: { deltaHundredths: number | null; compareDays?: number; className?: string }) {
  if (deltaHundredths === null) {
    return (
      <span className={`inline-flex items-center whitespace-nowrap font-medium text-slate-500 ${className}`} data-testid="score-change" data-new="true">
        <span className="sr-only">{`No score${compareDays ? ` ${compareDays} days ago` : " on the comparison day"}: `}</span>
        new
      </span>
    );
  }
  const direction = deltaHundredths > 0 ? "up" : deltaHundredths < 0 ? "down" : "flat";
  const tone = direction === "up" ? "text-emerald-700" : direction === "down" ? "text-red-700" : "text-slate-500";
  const arrow = direction === "up" ? "▲" : direction === "down" ? "▼" : "–";
  const words = direction === "up" ? "up" : direction === "down" ? "down" : "unchanged";
  return (
    <span className={`inline-flex items-center gap-1 whitespace-nowrap font-medium tabular-nums ${tone} ${className}`} data-testid="score-change">
      <span aria-hidden="true" className="text-[0.7em]">
        {arrow}
      </span>
      <span className="sr-only">{`${words}${compareDays ? ` against ${compareDays} days ago` : ""}: `}</span>
      {formatDeltaFine(deltaHundredths)}
    </span>
  );
}

export interface StandingPoint {
  band: Band;
  activity: Activity;
}

/**
 * "medium → low" when the account dropped a band (or from not active yet to churn risk);
 * rises only where asked for (the account page). Nothing for a new account: it has no past.
 */
export function BandMove({
  previous,
  current,
  showRise = false,
  className = "",
}: {
  previous: StandingPoint | null;
  current: StandingPoint;
  showRise?: boolean;
  className?: string;
}) {
  const change = standingMove(current, previous);
  if (change.direction === "same" || change.direction === "new" || (change.direction === "up" && !showRise)) return null;
  return (
    <span
      data-testid="band-move"
      data-direction={change.direction}
      className={`text-xs leading-tight ${change.direction === "down" ? "font-medium text-red-700" : "text-slate-500"} ${className}`}
    >
      {change.label}
    </span>
  );
}
