import { ENGAGEMENT_CLASSES, ENGAGEMENT_DEFINITIONS, ENGAGEMENT_LABELS } from "@/lib/scoring/engagement";
import type { BandThresholds } from "@/lib/scoring/bands";
import type { DeclineRule } from "@/lib/scoring/decline";
import { engagementColor } from "../charts/palette";

/** How the engagement index is defined, with the thresholds in force. */
export function EngagementExplainer({ thresholds, decline, compareDays }: { thresholds: BandThresholds; decline: DeclineRule; compareDays: number }) {
  return (
    <details className="group rounded-lg border border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-700">
      <summary className="cursor-pointer select-none font-medium text-slate-800 marker:text-slate-400">How the engagement index works</summary>
      <p className="mt-2">Every account counts in exactly one of three groups, so the three percentages add up to 100 %:</p>
      <ul className="mt-2 space-y-1">
        {ENGAGEMENT_CLASSES.map((c) => (
          <li key={c} className="flex items-start gap-2">
            <span aria-hidden="true" className="mt-1.5 inline-block size-2 shrink-0 rounded-full" style={{ background: engagementColor(c) }} />
            <span>
              <strong className="font-medium">{ENGAGEMENT_LABELS[c]}</strong>: {ENGAGEMENT_DEFINITIONS[c]}
              {c === "engaged" ? ` (score ≥ ${thresholds.highFrom}).` : null}
              {c === "responsive" ? ` (medium is ${thresholds.mediumFrom}–${thresholds.highFrom}).` : null}
              {c === "not_engaged" ? "." : null}
            </span>
          </li>
        ))}
      </ul>
      <p className="mt-2 text-slate-600">
        <em>Rising</em> mirrors the declining rule: the score rose by at least {decline.declinePoints} points and at least {decline.declinePercent} %
        against {compareDays} days ago. A low-scoring account that is rising is answering nurture, so it counts as responsive.
      </p>
    </details>
  );
}
