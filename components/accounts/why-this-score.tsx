import type { ContributionLine } from "@/lib/accounts/server/account-detail";
import { formatCount, formatDate, formatPointsExact } from "@/lib/format";

function pointsTone(hundredths: number): string {
  if (hundredths < 0) return "text-red-700";
  if (hundredths === 0) return "text-slate-400";
  return "text-slate-900";
}

/**
 * "Why this score": each event type's weight × count = points, largest first, negatives in
 * red, and their sum, which is the score. Bars show each type's share of the total movement.
 */
export function WhyThisScore({
  lines,
  totalHundredths,
  window,
}: {
  lines: ContributionLine[];
  totalHundredths: number;
  window: { from: string; to: string };
}) {
  const largest = Math.max(1, ...lines.map((l) => Math.abs(l.pointsHundredths)));
  if (lines.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        No events between {formatDate(window.from)} and {formatDate(window.to)}: the score is 0.
      </p>
    );
  }
  return (
    <div className="-mx-4 overflow-x-auto relative sm:mx-0">
      <table className="w-full min-w-[22rem] text-sm" data-testid="contributions">
        <caption className="sr-only">Points per event type, from {formatDate(window.from)} to {formatDate(window.to)}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
            <th scope="col" className="px-4 py-2 font-medium sm:pl-0">Event type</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">Weight × count</th>
            <th scope="col" className="px-4 py-2 text-right font-medium sm:pr-0">Points</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {lines.map((l) => (
            <tr key={l.typeId} data-testid="contribution" data-points={l.pointsHundredths}>
              <td className="px-4 py-2 sm:pl-0">
                <span className="font-medium text-slate-800">{l.label}</span>
                {!l.active ? <span className="ml-1.5 text-xs text-slate-400">(inactive, weighs 0)</span> : null}
                <span aria-hidden="true" className="mt-1 block h-1.5 rounded-full bg-slate-100">
                  <span
                    className={`block h-1.5 rounded-full ${l.pointsHundredths < 0 ? "bg-red-400" : "bg-blue-400"}`}
                    style={{ width: `${(Math.abs(l.pointsHundredths) / largest) * 100}%` }}
                  />
                </span>
              </td>
              <td className="whitespace-nowrap px-2 py-2 text-right tabular-nums text-slate-600">
                {formatPointsExact(l.weightHundredths)} × {formatCount(l.count)}
              </td>
              <td className={`whitespace-nowrap px-4 py-2 text-right font-medium tabular-nums sm:pr-0 ${pointsTone(l.pointsHundredths)}`} data-testid="contribution-points">
                {formatPointsExact(l.pointsHundredths)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t-2 border-slate-200">
            <th scope="row" colSpan={2} className="px-4 py-2.5 text-left font-semibold text-slate-900 sm:pl-0">
              Score (sum of the points)
            </th>
            <td className={`px-4 py-2.5 text-right text-base font-semibold tabular-nums sm:pr-0 ${totalHundredths < 0 ? "text-red-700" : "text-slate-900"}`} data-testid="contributions-total">
              {formatPointsExact(totalHundredths)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
