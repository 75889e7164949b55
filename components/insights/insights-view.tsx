"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Card, EmptyState } from "@/components/card";
import { DateInput } from "@/components/date-input";
import { NoDataYet, SetupHint } from "@/components/setup/no-data-yet";
import { ErrorBlock, Field, LoadingBlock, SegmentedControl, UpdatingNote } from "@/components/query-state";
import { Stat } from "@/components/stat";
import { formatCount, formatDate, formatPercent } from "@/lib/format";
import { insightsParamsSchema, LEADS } from "@/lib/insights/params";
import { validationQuery } from "@/lib/insights/query-options";
import type { ValidationData } from "@/lib/insights/validation";
import { useHydrated } from "@/lib/use-hydrated";
import { useUrlParams } from "@/lib/use-url-params";
import { CalibrationCard } from "./calibration-card";
import { RankingCard } from "./ranking-card";
import { SuggestedWeights } from "./suggested-weights";
import { TierRates } from "./tier-rates";

/** Does the score predict renewal? The period and lead live in the URL; everything else follows. */
export function InsightsView({ canLoadWeights }: { canLoadWeights: boolean }) {
  const [params, setParams] = useUrlParams(insightsParamsSchema);
  const hydrated = useHydrated();
  const validation = useQuery({ ...validationQuery(params), placeholderData: keepPreviousData });
  const data = validation.data;

  return (
    <div className="flex flex-col gap-4" data-testid="insights-view" data-hydrated={hydrated}>
      <form className="flex flex-wrap items-end gap-x-4 gap-y-3" onSubmit={(e) => e.preventDefault()} aria-label="Period and lead time">
        <Field label="Renewal dates from" htmlFor="renewals-from">
          <DateInput
            id="renewals-from"
            label="the first renewal date"
            className="w-40"
            value={params.from ?? data?.from ?? ""}
            max={params.to ?? data?.to}
            // A mistyped date keeps the period as it was (the field says what is wrong).
            onChange={(from, valid) => valid && setParams({ from: from || undefined }, { replace: true })}
          />
        </Field>
        <Field label="to" htmlFor="renewals-to">
          <DateInput
            id="renewals-to"
            label="the last renewal date"
            className="w-40"
            value={params.to ?? data?.to ?? ""}
            min={params.from ?? data?.from}
            onChange={(to, valid) => valid && setParams({ to: to || undefined }, { replace: true })}
          />
        </Field>
        <Field label="Score read" htmlFor="lead-group">
          <div id="lead-group">
            <SegmentedControl label="Days before the renewal" options={LEADS} value={params.lead} onChange={(lead) => setParams({ lead })} format={(d) => `${d} days before`} />
          </div>
        </Field>
        {params.from || params.to ? (
          <button type="button" onClick={() => setParams({ from: undefined, to: undefined })} className="text-sm font-medium text-blue-700 hover:underline">
            Last 12 months
          </button>
        ) : null}
        <UpdatingNote active={validation.isPlaceholderData && validation.isFetching} />
      </form>

      {validation.isPending ? (
        <Card>
          <LoadingBlock label="Loading the validation" height={360} />
        </Card>
      ) : validation.isError ? (
        <ErrorBlock error={validation.error} onRetry={() => void validation.refetch()} />
      ) : !data ? (
        <NoDataYet isAdmin={canLoadWeights}>The validation compares renewal outcomes with the scores accounts had before their renewal dates.</NoDataYet>
      ) : data.totals.outcomes === 0 ? (
        <EmptyState title="No renewal outcomes in this period">
          <p>{data.summary[0]} Widen the period, or record what happened at each renewal.</p>
          <p className="mt-2" data-testid="setup-hint">
            <SetupHint step="outcomes" isAdmin={canLoadWeights} />
          </p>
        </EmptyState>
      ) : (
        <Results data={data} canLoadWeights={canLoadWeights} params={params} />
      )}
    </div>
  );
}

function Results({ data, canLoadWeights, params }: { data: ValidationData; canLoadWeights: boolean; params: { from?: string; to?: string; lead: (typeof LEADS)[number] } }) {
  const { totals } = data;
  const unscored = totals.beforeHistory + totals.afterHistory + totals.noHistory;
  const auc = data.ranking?.auc ?? null;
  return (
    <>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Up for renewal" value={formatCount(totals.outcomes)} hint={`renewal dates ${formatDate(data.from)} – ${formatDate(data.to)}`} />
        <Stat label="Scored" value={formatCount(totals.scored)} hint={`score read ${data.lead} days before each renewal`} testId="insights-scored" />
        <Stat label="Churned" value={formatCount(totals.churned)} hint={totals.scored > 0 ? `${formatPercent(totals.churned / totals.scored)} of those scored` : undefined} />
        <Stat
          label="AUC"
          value={<span data-testid="insights-auc" data-auc={auc?.auc ?? ""}>{auc ? auc.auc.toFixed(2) : "—"}</span>}
          hint={auc ? `95 % interval ${auc.lower.toFixed(2)}–${auc.upper.toFixed(2)} (DeLong)` : "needs accounts that renewed and that churned"}
        />
      </dl>

      {unscored > 0 ? (
        <div role="note" className="rounded-xl border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="insights-unscored">
          <p className="font-medium">
            {formatCount(unscored)} of {formatCount(totals.outcomes)} accounts up for renewal cannot be scored and are left out of every figure below.
          </p>
          <p className="mt-0.5">
            The score history covers {formatDate(data.historyStartDate)} – {formatDate(data.asOfDate)}, so with the score read {data.lead} days ahead only renewal dates from{" "}
            {formatDate(data.scorableFrom)} to {formatDate(data.scorableTo)} can be scored.
            {totals.noHistory > 0 ? ` ${formatCount(totals.noHistory)} belong to accounts without a score history.` : ""}
            {data.lead > 30 && totals.beforeHistory > 0 ? " A shorter lead time scores more of the older renewal dates." : ""}
          </p>
        </div>
      ) : null}

      <Card title="In short" description="What the outcomes say about the score, in words.">
        <ul className="list-disc space-y-1.5 pl-5 text-sm leading-relaxed text-slate-700" data-testid="insights-summary">
          {data.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </Card>

      <TierRates data={data} />
      <div className="grid gap-4 xl:grid-cols-2">
        <RankingCard data={data} />
        <CalibrationCard data={data} />
      </div>
      <SuggestedWeights params={params} canLoadWeights={canLoadWeights} />
    </>
  );
}
