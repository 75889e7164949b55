import { formatDelta } from "@/lib/format";
import { bandChange } from "@/lib/scoring/band-change";
import type { Band } from "@/lib/scoring/bands";

/** The change against the comparison day: an arrow and a signed delta, coloured by direction. */
export function ScoreChange({ deltaHundredths, compareDays, className = "" }: { deltaHundredths: number; compareDays?: number; className?: string }) {
  const direction = deltaHundredths > 0 ? "up" : deltaHundredths < 0 ? "down" : "flat";
  const tone = direction === "up" ? "text-emerald-700" : direction === "down" ? "text-red-700" : "text-slate-500";
  const arrow = direction === "up" ? "▲" : direction === "down" ? "▼" : "–";
  const words = direction === "up" ? "up" : direction === "down" ? "down" : "unchanged";
  return (
    <span className={`inline-flex items-center gap-1 whitespace-nowrap font-medium tabular-nums ${tone} ${className}`}>
      <span aria-hidden="true" className="text-[0.7em]">
        {arrow}
      </span>
      <span className="sr-only">{`${words}${compareDays ? ` against ${compareDays} days ago` : ""}: `}</span>
      {formatDelta(deltaHundredths)}
    </span>
  );
}

/** "medium → low" when the account dropped a band; rises only where asked for (the account page). */
export function BandMove({ previous, current, showRise = false, className = "" }: { previous: Band; current: Band; showRise?: boolean; className?: string }) {
  const change = bandChange(previous, current);
  if (change.direction === "same" || (change.direction === "up" && !showRise)) return null;
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
