import Link from "next/link";
import type { Mover } from "@/lib/overview/server/overview";
import { formatDelta, formatPoints } from "@/lib/format";
import { scoreGroup, scoreGroupLabel } from "@/lib/scoring/standing";
import { StandingBadge } from "../standing-badge";

/**
 * The accounts whose score moved most over the comparison period (only accounts that existed
 * then: lib/overview/server/overview.ts), with the band they came from when it changed.
 */
export function MoversTable({ movers, direction, emptyText }: { movers: Mover[]; direction: "up" | "down"; emptyText: string }) {
  if (movers.length === 0) return <p className="text-sm text-slate-500">{emptyText}</p>;
  return (
    <div className="-mx-4 overflow-x-auto relative sm:mx-0">
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
            <th scope="col" className="px-4 py-2 font-medium sm:px-2">Account</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">Score</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">Change</th>
            <th scope="col" className="py-2 pl-2 pr-4 font-medium sm:px-2">Band</th>
          </tr>
        </thead>
        <tbody>
          {movers.map((m) => (
            <tr key={m.accountId} className="border-b border-slate-100 last:border-0">
              <td className="max-w-[6.5rem] truncate px-4 py-2 font-medium sm:max-w-[12rem] sm:px-2">
                <Link href={`/accounts/${m.accountId}`} title={m.name} className="text-slate-900 hover:text-blue-700 hover:underline">
                  {m.name}
                </Link>
              </td>
              <td className="px-2 py-2 text-right tabular-nums">{formatPoints(m.scoreHundredths)}</td>
              <td className={`px-2 py-2 whitespace-nowrap text-right font-medium tabular-nums ${direction === "up" ? "text-emerald-700" : "text-red-700"}`}>
                <span aria-hidden="true">{direction === "up" ? "▲ " : "▼ "}</span>
                {formatDelta(m.deltaHundredths)}
              </td>
              <td className="py-2 pl-2 pr-4 sm:px-2">
                <StandingBadge band={m.band} activity={m.activity} />
                {scoreGroup(m.band, m.activity) !== scoreGroup(m.previousBand, m.previousActivity) ? (
                  <span className="mt-0.5 block text-xs text-slate-500 sm:whitespace-nowrap" data-testid="mover-from">
                    from {scoreGroupLabel(scoreGroup(m.previousBand, m.previousActivity)).toLowerCase()}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
