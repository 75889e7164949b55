import type { Band } from "@/lib/scoring/bands";
import { NOT_ACTIVE_YET_LABEL, type Activity } from "@/lib/scoring/standing";
import { BandBadge } from "./band-badge";

/** The band of a score, except for an account not active yet: onboarding, not churn risk. */
export function StandingBadge({ band, activity, className = "" }: { band: Band; activity: Activity; className?: string }) {
  if (activity !== "not_active_yet") return <BandBadge band={band} className={className} />;
  return (
    <span
      data-band="not_active_yet"
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-inset ring-slate-400/40 ${className}`}
    >
      <span aria-hidden="true" className="size-1.5 rounded-full border border-slate-500" />
      {NOT_ACTIVE_YET_LABEL}
    </span>
  );
}
