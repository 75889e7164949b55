import type { ReactNode } from "react";
import { STAGE_LABELS } from "@/lib/accounts/lists/lists";
import { dayFromIsoDate, parseIsoDate } from "@/lib/days";
import { formatCurrency, formatDate, formatPoints, formatRelativeDay } from "@/lib/format";
import type { AccountInfo, AccountScoreInfo } from "@/lib/accounts/server/account-detail";
import { churnReason, scoreGroupLabel, scoreGroup, standingExplanation } from "@/lib/scoring/standing";
import { StandingBadge } from "../standing-badge";
import { ChurnRiskFlag, DecliningBadge, NewAccountFlag, PowerUserFlag } from "./flags";
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

function reasonFlag(score: AccountScoreInfo, stage: string, windowDays: number) {
  const reason = churnReason(score.band, score.activity, stage);
  return reason ? <ChurnRiskFlag reason={reason} windowDays={windowDays} /> : null;
}

/** "Was 52 30 days ago", "Was not active yet 30 days ago", or, for a new account, since when it exists. */
function previousText(score: AccountScoreInfo, compareDays: number): string {
  if (score.previousHundredths === null || score.previousBand === null || score.previousActivity === null) {
    return score.firstDate ? `New: first seen ${formatDate(score.firstDate)}, no score ${compareDays} days ago` : `New: no score ${compareDays} days ago`;
  }
  if (score.previousActivity === "not_active_yet") return `Was ${scoreGroupLabel(scoreGroup(score.previousBand, score.previousActivity)).toLowerCase()} ${compareDays} days ago`;
  return `Was ${formatPoints(score.previousHundredths)} ${compareDays} days ago`;
}

/** The account's header: the score with its band, what the band means here and the change, and the facts a call needs. */
export function AccountHeader({
  account,
  score,
  windowDays,
  compareDays,
  today,
  actions,
}: {
  account: AccountInfo;
  score: AccountScoreInfo | null;
  windowDays: number;
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
                <ScoreChange
                  deltaHundredths={score.previousHundredths === null ? null : score.scoreHundredths - score.previousHundredths}
                  compareDays={compareDays}
                  className="text-base"
                />
              </p>
              <p className="mt-1 text-xs text-slate-500" data-testid="account-previous">
                {previousText(score, compareDays)} · scores as of {formatDate(score.asOfDate)}
              </p>
              <div className="mt-2 flex flex-wrap items-center gap-1.5">
                <StandingBadge band={score.band} activity={score.activity} />
                <BandMove
                  previous={score.previousBand === null || score.previousActivity === null ? null : { band: score.previousBand, activity: score.previousActivity }}
                  current={score}
                  showRise
                />
                {reasonFlag(score, account.stage, windowDays)}
                {score.previousHundredths === null ? <NewAccountFlag since={score.firstDate} /> : null}
                {score.band === "power" ? <PowerUserFlag /> : null}
                {score.declining ? <DecliningBadge compareDays={compareDays} /> : null}
              </div>
              <p className="mt-2 max-w-xs text-xs leading-snug text-slate-600" data-testid="standing-explanation">
                {standingExplanation(score.band, score.activity, account.stage, windowDays)}
              </p>
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
