import type { MovementLine } from "@/lib/accounts/server/account-detail";
import { formatCount, formatDate, formatDelta, formatPointsExact } from "@/lib/format";

/**
 * "Why it moved": the change since the comparison window split by event type, as a diverging
 * bar per type (falls left in red, rises right in green). The deltas add up to the change.
 */
export function WhyItMoved({
  lines,
  currentHundredths,
  previousHundredths,
  previousWindow,
}: {
  lines: MovementLine[];
  currentHundredths: number;
  previousHundredths: number;
  previousWindow: { from: string; to: string };
}) {
  const moved = lines.filter((l) => l.deltaHundredths !== 0);
  const still = lines.length - moved.length;
  const largest = Math.max(1, ...moved.map((l) => Math.abs(l.deltaHundredths)));
  const change = currentHundredths - previousHundredths;
  return (
    <div data-testid="movement">
      <p className="text-sm text-slate-600">
        From <span className="font-medium tabular-nums text-slate-900">{formatPointsExact(previousHundredths)}</span> (
        {formatDate(previousWindow.from)} – {formatDate(previousWindow.to)}) to{" "}
        <span className="font-medium tabular-nums text-slate-900">{formatPointsExact(currentHundredths)}</span>:{" "}
        <span className={`font-semibold tabular-nums ${change < 0 ? "text-red-700" : change > 0 ? "text-emerald-700" : "text-slate-700"}`} data-testid="movement-total">
          {formatDelta(change)}
        </span>
      </p>
      {moved.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">No event type moved the score.</p>
      ) : (
        <ul className="mt-3 space-y-2.5">
          {moved.map((l) => {
            const width = `${(Math.abs(l.deltaHundredths) / largest) * 50}%`;
            const down = l.deltaHundredths < 0;
            return (
              <li key={l.typeId} data-testid="movement-line" data-delta={l.deltaHundredths}>
                <div className="flex items-baseline justify-between gap-3 text-sm">
                  <span className="min-w-0 truncate font-medium text-slate-800">{l.label}</span>
                  <span className={`shrink-0 font-medium tabular-nums ${down ? "text-red-700" : "text-emerald-700"}`}>{formatDelta(l.deltaHundredths)}</span>
                </div>
                <div className="mt-1 flex items-center gap-2">
                  <div aria-hidden="true" className="relative h-2 flex-1 rounded-full bg-slate-100">
                    <span className="absolute inset-y-0 left-1/2 w-px bg-slate-300" />
                    <span
                      className={`absolute inset-y-0 rounded-full ${down ? "right-1/2 bg-red-400" : "left-1/2 bg-emerald-400"}`}
                      style={{ width }}
                    />
                  </div>
                  <span className="w-24 shrink-0 text-right text-xs tabular-nums text-slate-500">
                    {formatCount(l.previousCount)} → {formatCount(l.currentCount)}
                  </span>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {still > 0 ? <p className="mt-3 text-xs text-slate-500">{still === 1 ? "One other event type" : `${still} other event types`} did not change the score.</p> : null}
    </div>
  );
}
