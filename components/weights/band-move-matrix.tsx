import { BAND_INFO, BANDS } from "@/lib/scoring/bands";
import { formatCount } from "@/lib/format";
import { BAND_CLASSES } from "../band-style";

/** Accounts per (band before → band after); the diagonal is accounts that stay. */
export function BandMoveMatrix({ moves }: { moves: number[][] }) {
  return (
    <div className="overflow-x-auto relative">
      <table className="w-full min-w-[32rem] border-separate border-spacing-1 text-sm" data-testid="band-move-matrix">
        <caption className="sr-only">Accounts by band before (rows) and after (columns) the change</caption>
        <thead>
          <tr>
            <th scope="col" className="px-2 py-1 text-left text-xs font-medium text-slate-500">
              Before ↓ · After →
            </th>
            {BANDS.map((b) => (
              <th key={b} scope="col" className={`px-2 py-1 text-right text-xs font-semibold ${BAND_CLASSES[b].text}`}>
                {BAND_INFO[b].label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {BANDS.map((from, i) => (
            <tr key={from}>
              <th scope="row" className={`px-2 py-1 text-left text-xs font-semibold ${BAND_CLASSES[from].text}`}>
                {BAND_INFO[from].label}
              </th>
              {BANDS.map((to, j) => {
                const n = moves[i]?.[j] ?? 0;
                const stay = i === j;
                return (
                  <td
                    key={to}
                    data-testid={`move-${from}-${to}`}
                    className={`rounded px-2 py-1.5 text-right tabular-nums ${
                      n === 0 ? "text-slate-300" : stay ? "bg-slate-100 text-slate-600" : "bg-amber-50 font-semibold text-amber-900"
                    }`}
                  >
                    {formatCount(n)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
