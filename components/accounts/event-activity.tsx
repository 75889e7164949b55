import type { CSSProperties } from "react";
import type { MonthColumn } from "@/lib/accounts/event-months";
import type { EventMonthsByType } from "@/lib/accounts/server/account-detail";
import { formatCount, formatPointsExact } from "@/lib/format";

/**
 * Event counts per type per month as a heat map: darker means more events that month,
 * relative to the type's own busiest month. Risk signals (negative weight) are red.
 */
export function EventActivity({ columns, types }: { columns: MonthColumn[]; types: EventMonthsByType[] }) {
  if (types.length === 0) return <p className="text-sm text-slate-500">No events in the last 12 months.</p>;
  return (
    // Right-to-left scrolling (table itself left-to-right) opens narrow screens on the latest months.
    <div className="-mx-4 overflow-x-auto relative [direction:rtl] sm:mx-0" tabIndex={0} role="region" aria-label="Events per type per month">
      <table className="w-full min-w-[44rem] border-separate border-spacing-[3px] text-xs [direction:ltr]" data-testid="event-activity">
        <thead>
          <tr>
            <th scope="col" className="sticky left-0 bg-white px-2 py-1 text-left font-medium text-slate-500">
              Event type
            </th>
            {columns.map((c) => (
              <th key={c.month} scope="col" className="whitespace-nowrap px-0.5 py-1 text-center align-bottom font-medium text-slate-500">
                {c.label}
                {c.days < c.daysInMonth ? (
                  <span className="block text-[10px] font-normal text-slate-400" title={`${c.days} of its ${c.daysInMonth} days: fewer events than a whole month`}>
                    {c.days} d
                  </span>
                ) : null}
              </th>
            ))}
            <th scope="col" className="px-2 py-1 text-right font-medium text-slate-500">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {types.map((t) => {
            const peak = Math.max(1, ...t.counts);
            const risk = t.weightHundredths < 0;
            return (
              <tr key={t.typeId} className={risk ? "heat-risk" : undefined}>
                <th scope="row" className="sticky left-0 max-w-[12rem] truncate bg-white px-2 py-1 text-left font-medium text-slate-700" title={`${t.label} · weight ${formatPointsExact(t.weightHundredths)}`}>
                  {t.label}
                </th>
                {t.counts.map((n, i) => {
                  const share = n / peak;
                  // Styling lives in the .heat-cell classes (globals.css): a year of 25 types is
                  // 300+ cells, and per-cell class lists made the page twice as heavy.
                  return (
                    <td
                      key={columns[i]?.month ?? i}
                      title={`${t.label}, ${columns[i]?.label ?? ""}: ${formatCount(n)}`}
                      className={share > 0.55 ? "heat-cell heat-dark" : "heat-cell"}
                      style={n === 0 ? undefined : ({ "--heat": `${Math.round(12 + share * 78)}%` } as CSSProperties)}
                    >
                      {n === 0 ? "" : formatCount(n)}
                    </td>
                  );
                })}
                <td className="px-2 py-1 text-right font-medium tabular-nums text-slate-800">{formatCount(t.total)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
