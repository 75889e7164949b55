import Link from "next/link";
import type { ReactNode } from "react";
import { SETUP_CHECKLIST_HREF, SETUP_STEP_LINKS, type SetupStepId } from "@/lib/setup/checklist";
import { EmptyState } from "../card";

const LINK = "font-medium text-blue-700 hover:underline";

/** The links of a setup step as a sentence: "Create a write key or Import a CSV file". */
export function SetupStepLinks({ step }: { step: SetupStepId }) {
  const links = SETUP_STEP_LINKS[step];
  return (
    <>
      {links.map((link, i) => (
        <span key={link.href + link.label}>
          {i > 0 ? (i === links.length - 1 ? " or " : ", ") : ""}
          <Link href={link.href} className={LINK}>
            {i === 0 ? link.label : link.label.charAt(0).toLowerCase() + link.label.slice(1)}
          </Link>
        </span>
      ))}
    </>
  );
}

const WHO_DOES_IT: Record<SetupStepId, string> = {
  data: "An administrator brings the data in under Admin → Write keys or Admin → Import.",
  weights: "An administrator sets the event weights under Admin → Weights & scoring.",
  team: "An administrator adds users under Admin → Users.",
  outcomes: "An administrator sends renewal outcomes with the outcomes API, or imports them under Admin → Import.",
};

/**
 * An empty page's way forward: for administrators, links to the setup step that fills it;
 * for everyone else, who does it.
 */
export function SetupHint({ step, isAdmin }: { step: SetupStepId; isAdmin: boolean }) {
  if (!isAdmin) return <>{WHO_DOES_IT[step]}</>;
  return (
    <>
      <SetupStepLinks step={step} /> (see the{" "}
      <Link href={SETUP_CHECKLIST_HREF} className={LINK}>
        setup checklist
      </Link>
      ).
    </>
  );
}

/** "No scores yet": what would be here, and the step that brings it. */
export function NoDataYet({ title = "No scores yet", isAdmin, children }: { title?: string; isAdmin: boolean; children: ReactNode }) {
  return (
    <EmptyState title={title}>
      <p>{children}</p>
      <p className="mt-2" data-testid="setup-hint">
        <SetupHint step="data" isAdmin={isAdmin} />
      </p>
    </EmptyState>
  );
}
