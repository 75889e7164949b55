import Link from "next/link";
import type { SetupChecklist as Checklist } from "@/lib/setup/checklist";

function StepMark({ done, index }: { done: boolean; index: number }) {
  return done ? (
    <span aria-hidden="true" className="flex size-7 shrink-0 items-center justify-center rounded-full bg-emerald-600 text-white">
      <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth={2.5} strokeLinecap="round" strokeLinejoin="round">
        <path d="M5 13l4 4L19 7" />
      </svg>
    </span>
  ) : (
    <span aria-hidden="true" className="flex size-7 shrink-0 items-center justify-center rounded-full border-2 border-slate-300 text-sm font-semibold text-slate-500">
      {index + 1}
    </span>
  );
}

/**
 * The first-run setup checklist (lib/setup/checklist.ts): each step with its state from the
 * database and the links that do it. The next step to take is highlighted.
 */
export function SetupChecklist({ checklist }: { checklist: Checklist }) {
  const { steps, done, required, complete, next } = checklist;
  return (
    <section id="setup" aria-labelledby="setup-title" className="scroll-mt-4 rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="setup-checklist">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-4 sm:px-5">
        <div>
          <h2 id="setup-title" className="text-base font-semibold text-slate-900">
            {complete ? "Setup complete" : "Get started"}
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">
            {complete
              ? "Your data is coming in, the score is weighted and your team can sign in."
              : "Three steps before the scores mean something. Each step turns done as soon as the data says so."}
          </p>
        </div>
        <p className="text-sm font-medium text-slate-700" data-testid="setup-progress">
          {done} of {required} done
        </p>
      </header>
      <div className="h-1.5 bg-slate-100" aria-hidden="true">
        <div className="h-full bg-emerald-500 transition-all" style={{ width: `${(done / required) * 100}%` }} />
      </div>
      <ol className="divide-y divide-slate-100" aria-label="Setup steps">
        {steps.map((step, i) => {
          const isNext = step.id === next && !step.done;
          return (
            <li
              key={step.id}
              className={`flex gap-3 px-4 py-4 sm:px-5 ${isNext ? "bg-blue-50/60" : ""}`}
              data-testid={`setup-step-${step.id}`}
              data-done={step.done}
              aria-current={isNext ? "step" : undefined}
            >
              <StepMark done={step.done} index={i} />
              <div className="min-w-0 flex-1">
                <h3 className={`font-medium ${step.done ? "text-slate-600" : "text-slate-900"}`}>
                  {step.title}
                  <span className="sr-only">{step.done ? " (done)" : " (to do)"}</span>
                </h3>
                <p className="mt-0.5 text-sm text-slate-600">{step.description}</p>
                <p className={`mt-1 text-sm ${step.done ? "text-emerald-700" : "text-slate-500"}`} data-testid={`setup-status-${step.id}`}>
                  {step.status}
                </p>
                {step.done ? null : (
                  <div className="mt-2 flex flex-wrap gap-2">
                    {step.actions.map((action, a) => (
                      <Link
                        key={action.href + action.label}
                        href={action.href}
                        className={
                          isNext && a === 0
                            ? "rounded-md bg-blue-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-blue-700"
                            : "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
                        }
                      >
                        {action.label}
                      </Link>
                    ))}
                  </div>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
