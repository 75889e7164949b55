import type { ReactNode } from "react";
import { STAGE_LABELS } from "@/lib/call-lists/lists";
import { dayFromIsoDate, parseIsoDate } from "@/lib/days";
import { formatCurrency, formatDate, formatPoints, formatRelativeDay } from "@/lib/format";
import type { AccountInfo, AccountScoreInfo } from "@/lib/server/account-detail";
import { BandBadge } from "../band-badge";
import { ChurnRiskFlag, DecliningBadge, PowerUserFlag } from "./flags";
import { BandMove, ScoreChange } from "./score-change";

function Meta({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function DateWithDistance({ date, today }: { date: string | null; today: string }) {
  const day = date ? parseIsoDate(date) : null;
  if (!date || day === null) return <span className="text-slate-400">—</span>;
  return (
    <>
      {formatDate(date)} <span className="block text-xs text-slate-500">{formatRelativeDay(day, dayFromIsoDate(today))}</span>
    </>
  );
}

/** The account page's header: the score with its band and change, and the facts a call needs. */
export function AccountHeader({
  account,
  score,
  compareDays,
  today,
  actions,
}: {
  account: AccountInfo;
  score: AccountScoreInfo | null;
  compareDays: number;
  today: string;
  actions: ReactNode;
}) {
  return (
    <section aria-labelledby="account-name" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 id="account-name" className="truncate text-2xl font-semibold tracking-tight text-slate-900">
            {account.name}
          </h1>
          <p className="mt-0.5 text-sm text-slate-500">
            <span className="font-mono text-xs">{account.externalId}</span>
            {[account.industry, account.region].filter(Boolean).map((v) => (
              <span key={v}> · {v}</span>
            ))}
          </p>
        </div>
        {actions}
      </div>

      <div className="mt-5 grid gap-5 md:grid-cols-[auto_1fr] md:gap-8">
        <div className="flex items-end gap-4 md:border-r md:border-slate-100 md:pr-8">
          {score ? (
            <div>
              <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Engagement score</p>
              <p className="mt-1 flex items-baseline gap-3">
                <span className="text-4xl font-semibold tabular-nums tracking-tight text-slate-900" data-testid="account-score">
                  {formatPoints(score.scoreHundredths)}
                </span>
                <ScoreChange deltaHundredths={score.scoreHundredths - score.previousHundredths} compareDays={compareDays} className="text-base" />
              </p>
              <p className="mt-1 text-xs text-slate-500">
                Was {formatPoints(score.previousHundredths)} {compareDays} days ago · scores as of {formatDate(score.asOfDate)}
              </p>
              <div className="mt-2 flex flex-wrap items-center gap-1.5">
                <BandBadge band={score.band} />
                <BandMove previous={score.previousBand} current={score.band} showRise />
                {score.band === "churn_risk" ? <ChurnRiskFlag /> : null}
                {score.band === "power" ? <PowerUserFlag /> : null}
                {score.declining ? <DecliningBadge /> : null}
              </div>
            </div>
          ) : (
            <p className="text-sm text-slate-500">Not scored yet: the score appears once scores are next computed.</p>
          )}
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3">
          <Meta label="Renewal date" testId="account-renewal">
            <DateWithDistance date={account.renewalDate} today={today} />
          </Meta>
          <Meta label="ARR" testId="account-arr">
            {formatCurrency(account.arr)}
          </Meta>
          <Meta label="Plan">{account.plan ?? "—"}</Meta>
          <Meta label="Account manager">{account.accountManager ?? <span className="text-slate-400">Unassigned</span>}</Meta>
          <Meta label="Lifecycle stage">{STAGE_LABELS[account.stage]}</Meta>
          {account.stage === "trial" ? (
            <Meta label="Trial ends">
              <DateWithDistance date={account.trialEndDate} today={today} />
            </Meta>
          ) : (
            <Meta label="Customer since">{formatDate(account.signupDate)}</Meta>
          )}
        </dl>
      </div>
    </section>
  );
}
