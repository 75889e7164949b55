import type { VerdictFigure } from "@/lib/teams/compare/types";

/** How each verdict looks: a badge in tables and a panel for headlines. */
interface VerdictLook {
  label: string;
  badge: string;
  panel: string;
}

const LOOKS = {
  higher: { label: "Higher after", badge: "bg-emerald-50 text-emerald-800 ring-emerald-600/20", panel: "border-emerald-200 bg-emerald-50 text-emerald-900" },
  lower: { label: "Lower after", badge: "bg-red-50 text-red-800 ring-red-600/20", panel: "border-red-200 bg-red-50 text-red-900" },
  no_clear_effect: { label: "No clear effect", badge: "bg-slate-100 text-slate-700 ring-slate-500/20", panel: "border-slate-200 bg-slate-50 text-slate-800" },
  too_few: { label: "Too few accounts", badge: "bg-amber-50 text-amber-800 ring-amber-600/20", panel: "border-amber-200 bg-amber-50 text-amber-900" },
  too_little_history: { label: "Too little history", badge: "bg-amber-50 text-amber-800 ring-amber-600/20", panel: "border-amber-200 bg-amber-50 text-amber-900" },
} satisfies Record<string, VerdictLook>;

export function verdictLook(v: Pick<VerdictFigure, "kind" | "reason">): VerdictLook {
  if (v.kind === "too_small") return v.reason === "history" ? LOOKS.too_little_history : LOOKS.too_few;
  return LOOKS[v.kind];
}

export function VerdictBadge({ verdict }: { verdict: Pick<VerdictFigure, "kind" | "reason" | "overlapping"> }) {
  const look = verdictLook(verdict);
  return (
    <span className="inline-flex flex-wrap gap-1">
      <span className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${look.badge}`}>{look.label}</span>
      {verdict.overlapping.length > 0 && (verdict.kind === "higher" || verdict.kind === "lower") ? (
        <span className="inline-flex whitespace-nowrap rounded-full bg-purple-50 px-2 py-0.5 text-xs font-medium text-purple-800 ring-1 ring-inset ring-purple-600/20">
          Not this change alone
        </span>
      ) : null}
    </span>
  );
}

/** Whether a verdict claims an effect (for colouring charts). */
export function claims(v: Pick<VerdictFigure, "kind">): boolean {
  return v.kind === "higher" || v.kind === "lower";
}
