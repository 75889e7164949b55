import Link from "next/link";
import type { RulePreviewResult } from "@/lib/alerts/server/preview";
import { formatCount } from "@/lib/format";

/** "Would have fired for 12 accounts (14 times) in the last 30 days", with a bar per day and a few of the accounts. */
export function PreviewResult({ preview }: { preview: RulePreviewResult }) {
  const max = Math.max(1, ...preview.perDay);
  if (preview.asOfDay === null) {
    return <p className="text-sm text-slate-600">No scores yet: the preview needs scored accounts.</p>;
  }
  return (
    <div className="flex flex-wrap items-end justify-between gap-3 rounded-lg bg-slate-50 px-3 py-2.5" data-testid="rule-preview">
      <div className="min-w-0">
        <p className="text-sm text-slate-800" role="status">
          {preview.accounts === 0 ? (
            <>Would not have fired in the last {preview.days} days.</>
          ) : (
            <>
              Would have fired for <strong className="tabular-nums">{formatCount(preview.accounts)}</strong> {preview.accounts === 1 ? "account" : "accounts"}
              {preview.firings !== preview.accounts ? ` (${formatCount(preview.firings)} times)` : ""} in the last {preview.days} days, with today&apos;s scoring rules.
            </>
          )}
        </p>
        {preview.samples.length > 0 ? (
          <p className="mt-0.5 truncate text-xs text-slate-500">
            For example{" "}
            {preview.samples.map((s, i) => (
              <span key={s.id}>
                {i > 0 ? ", " : ""}
                <Link href={`/accounts/${s.id}`} className="font-medium text-slate-700 hover:underline">
                  {s.name}
                </Link>
              </span>
            ))}
          </p>
        ) : null}
      </div>
      <div className="flex h-8 items-end gap-px" aria-hidden="true" title="Firings per day, oldest first">
        {preview.perDay.map((n, i) => (
          <span key={i} className={`w-1.5 rounded-sm ${n > 0 ? "bg-blue-500" : "bg-slate-200"}`} style={{ height: `${Math.max(8, (n / max) * 100)}%` }} />
        ))}
      </div>
    </div>
  );
}
