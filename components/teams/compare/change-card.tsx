import { formatDate } from "@/lib/format";
import type { CompareData } from "@/lib/teams/compare/types";

/** The change being judged, its periods, other changes inside them and the result in one sentence. */
export function ChangeCard({ data }: { data: CompareData }) {
  const m = data.marker;
  if (!m) return null;
  return (
    <section aria-label="The change" className="rounded-xl border border-purple-200 bg-gradient-to-r from-purple-50 to-white p-4 shadow-sm sm:p-5">
      <p className="text-xs font-medium uppercase tracking-wide text-purple-700">Change on {formatDate(m.date)}</p>
      <h2 className="mt-1 text-lg font-semibold text-slate-900">{m.title}</h2>
      {m.description ? <p className="mt-1 text-sm text-slate-600">{m.description}</p> : null}
      <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <div className="flex gap-1.5">
          <dt className="text-slate-500">Before:</dt>
          <dd className="tabular-nums text-slate-800">{data.before ? `${formatDate(data.before.from)} – ${formatDate(data.before.to)} (${data.before.days} days)` : "no scores"}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-slate-500">After:</dt>
          <dd className="tabular-nums text-slate-800">{data.after ? `${formatDate(data.after.from)} – ${formatDate(data.after.to)} (${data.after.days} days)` : "no scores yet"}</dd>
        </div>
      </dl>
      {data.notes.length > 0 ? (
        <ul className="mt-2 list-disc pl-5 text-sm text-amber-800">
          {data.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {data.overlapping.length > 0 ? (
        <div role="note" data-testid="overlapping-changes" className="mt-3 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <p className="font-medium">Other changes fall inside these windows</p>
          <ul className="mt-1 list-disc pl-5">
            {data.overlapping.map((c) => (
              <li key={`${c.kind}:${c.date}:${c.title}`}>
                {c.title} ({c.kind === "rules" ? "scoring rules changed" : "change marker"}, {formatDate(c.date)})
              </li>
            ))}
          </ul>
          <p className="mt-1">Any difference below may come from them as much as from “{m.title}”: it is not credited to this change alone.</p>
        </div>
      ) : null}
      {data.summary ? (
        <p data-testid="compare-summary" className="mt-3 rounded-lg bg-white/80 px-3 py-2 text-sm text-slate-800 ring-1 ring-purple-100">
          <span className="font-semibold text-slate-900">In short: </span>
          {data.summary}
        </p>
      ) : null}
    </section>
  );
}
