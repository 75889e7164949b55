import type { ReactNode } from "react";

/** The frame of the sign-in and setup pages: the product's mark and one centred card. */
export function AuthFrame({ title, subtitle, children, footer }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="relative flex min-h-dvh flex-col items-center justify-center overflow-hidden bg-slate-50 px-4 py-10">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 top-0 h-80 bg-gradient-to-b from-blue-100/70 via-blue-50/40 to-transparent"
      />
      <main id="main" className="relative w-full max-w-md">
        <div className="mb-6 flex flex-col items-center text-center">
          <span aria-hidden="true" className="grid size-11 place-items-center rounded-xl bg-blue-600 text-sm font-bold text-white shadow-lg shadow-blue-600/20">
            CES
          </span>
          <p className="mt-3 text-sm font-medium text-slate-500">Customer Engagement Score</p>
        </div>
        <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-xl shadow-slate-900/5 sm:p-8">
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
          {subtitle ? <p className="mt-1.5 text-sm text-slate-500">{subtitle}</p> : null}
          <div className="mt-6">{children}</div>
        </div>
        {footer ? <div className="mt-6 text-center text-xs text-slate-500">{footer}</div> : null}
      </main>
    </div>
  );
}
