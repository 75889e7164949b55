import type { RawEventLine } from "@/lib/accounts/server/account-detail";
import { formatDate, formatPointsExact } from "@/lib/format";

/** The most recent raw events as received, with what each was worth at the current weights. */
export function LatestEvents({ events }: { events: RawEventLine[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">No events received yet.</p>;
  return (
    <div className="-mx-4 max-h-[26rem] overflow-y-auto sm:mx-0">
      <table className="w-full text-sm" data-testid="latest-events">
        <thead className="sticky top-0 bg-white">
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
            <th scope="col" className="px-4 py-2 font-medium sm:pl-0">When</th>
            <th scope="col" className="px-2 py-2 font-medium">Event</th>
            <th scope="col" className="px-4 py-2 text-right font-medium sm:pr-0">Points</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((e) => {
            const points = e.weightHundredths * e.quantity;
            const iso = new Date(e.occurredAt).toISOString();
            return (
              <tr key={e.id}>
                <td className="whitespace-nowrap px-4 py-1.5 text-slate-600 sm:pl-0">
                  <span className="block">{formatDate(iso.slice(0, 10))}</span>
                  <span className="block text-xs text-slate-400">{iso.slice(11, 16)} UTC</span>
                </td>
                <td className="px-2 py-1.5">
                  <span className="text-slate-800">{e.typeLabel}</span>
                  {e.quantity > 1 ? <span className="ml-1 text-xs text-slate-500">× {e.quantity}</span> : null}
                  <span className="block break-all font-mono text-[11px] text-slate-400">{e.typeKey}</span>
                </td>
                <td className={`whitespace-nowrap px-4 py-1.5 text-right tabular-nums sm:pr-0 ${points < 0 ? "text-red-700" : points === 0 ? "text-slate-400" : "text-slate-700"}`}>
                  {points > 0 ? "+" : ""}
                  {formatPointsExact(points)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
