import Link from "next/link";
import type { SetupChecklist } from "@/lib/setup/checklist";
import { SETUP_CHECKLIST_HREF } from "@/lib/setup/checklist";

/**
 * Above the overview while setup is not complete: administrators see the next step; everyone
 * is told when no event has a weight yet, because then every score is 0 (and reads as churn
 * risk) for a reason that has nothing to do with the customers.
 */
export function SetupBanner({ checklist, isAdmin }: { checklist: SetupChecklist; isAdmin: boolean }) {
  const unweighted = checklist.steps.some((s) => s.id === "weights" && !s.done);
  const next = checklist.steps.find((s) => s.id === checklist.next);
  if (checklist.complete || (!isAdmin && !unweighted)) return null;
  return (
    <div role="note" className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-blue-200 bg-blue-50 px-4 py-3 text-sm text-blue-900" data-testid="setup-banner">
      <div className="min-w-0">
        {unweighted ? (
          <p className="font-medium">The score is not weighted yet: every account scores 0 until event types have weights.</p>
        ) : (
          <p className="font-medium">Setup: {checklist.done} of {checklist.required} steps done.</p>
        )}
        {isAdmin && next ? <p className="mt-0.5">Next: {next.title.charAt(0).toLowerCase() + next.title.slice(1)}.</p> : null}
        {!isAdmin ? <p className="mt-0.5">An administrator sets them under Admin → Weights &amp; scoring.</p> : null}
      </div>
      {isAdmin && next ? (
        <div className="flex flex-wrap gap-2">
          <Link href={next.actions[0]?.href ?? SETUP_CHECKLIST_HREF} className="rounded-md bg-blue-600 px-3 py-1.5 font-semibold text-white shadow-sm hover:bg-blue-700">
            {next.actions[0]?.label ?? "Continue setup"}
          </Link>
          <Link href={SETUP_CHECKLIST_HREF} className="rounded-md px-3 py-1.5 font-medium text-blue-800 hover:bg-blue-100">
            Setup checklist
          </Link>
        </div>
      ) : null}
    </div>
  );
}
