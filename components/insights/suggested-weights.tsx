"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "@/components/card";
import { ErrorBlock, LoadingBlock } from "@/components/query-state";
import { formatCount, formatPercent, formatPointsExact } from "@/lib/format";
import type { InsightsParams } from "@/lib/insights/params";
import { suggestionQuery } from "@/lib/insights/queries";
import type { Suggestion } from "@/lib/insights/suggest";
import { encodeSuggestedWeights, SUGGESTED_PARAM } from "@/lib/insights/suggestion-link";
import type { AucEstimate } from "@/lib/insights/roc";

type Fitted = Extract<Suggestion, { status: "ok" }>;

function aucLine(auc: AucEstimate): string {
  return `${auc.auc.toFixed(2)} (${auc.lower.toFixed(2)}–${auc.upper.toFixed(2)})`;
}

function Change({ from, to }: { from: number; to: number }) {
  if (from === to) return <span className="text-slate-400">same</span>;
  const up = to > from;
  return (
    <span className={up ? "text-emerald-700" : "text-red-700"}>
      <span aria-hidden="true">{up ? "▲" : "▼"}</span> {up ? "higher" : "lower"}
    </span>
  );
}

function comparison(s: Fitted): string {
  const d = s.difference;
  if (!d) return "";
  const diff = `${d.difference >= 0 ? "+" : "−"}${Math.abs(d.difference).toFixed(2)} (95 % interval ${d.lower.toFixed(2)} to ${d.upper.toFixed(2)})`;
  if (d.lower > 0) return `The suggestion ranks renewals better than the current weights on accounts it was not fitted on: ${diff}. Worth a preview.`;
  if (d.upper < 0) return `The current weights rank renewals better than the suggestion on held-out accounts (${diff}): keep them, or change only what you have other reasons for.`;
  return `On held-out accounts the suggestion ranks renewals about as well as the current weights (${diff}): the data do not show either set to be better.`;
}

/** Weights fitted to the period's renewals, beside the current ones, with a way into the editor's preview. */
export function SuggestedWeights({ params, canLoadWeights }: { params: InsightsParams; canLoadWeights: boolean }) {
  const query = useQuery(suggestionQuery(params));
  const data = query.data;
  const s = data?.suggestion;
  return (
    <Card
      title="Suggested weights"
      description={
        data
          ? `Fitted to the ${formatCount(data.renewals)} scored renewals: which events in the ${data.windowDays}-day window ${data.lead} days before a renewal went with renewing.`
          : "Which events went with renewing, fitted to the scored renewals of the period."
      }
    >
      {query.isPending ? (
        <LoadingBlock label="Fitting weights to the renewals" height={240} />
      ) : query.isError ? (
        <ErrorBlock error={query.error} onRetry={() => void query.refetch()} />
      ) : !data || !s ? (
        <p className="text-sm text-slate-600">No scores yet.</p>
      ) : s.status === "too_few" ? (
        <p className="text-sm text-slate-600" data-testid="suggestion-too-few">
          Weights are suggested once the period has at least {s.needed} scored renewals that stayed and {s.needed} that churned; it has {formatCount(s.renewed)} and{" "}
          {formatCount(s.churned)}. Widen the period, or record more outcomes.
        </p>
      ) : (
        <Fit s={s} canLoadWeights={canLoadWeights} />
      )}
    </Card>
  );
}

function Fit({ s, canLoadWeights }: { s: Fitted; canLoadWeights: boolean }) {
  // Weights the data cannot tell the direction of keep their current value when loaded.
  const changed = s.weights.filter((w) => !w.noData && !w.directionUnclear && w.suggestedHundredths !== w.weightHundredths);
  const unclear = s.weights.filter((w) => w.directionUnclear).length;
  const href = `/admin/weights?${SUGGESTED_PARAM}=${encodeURIComponent(encodeSuggestedWeights(changed.map((w) => ({ key: w.key, hundredths: w.suggestedHundredths }))))}`;
  return (
    <div className="flex flex-col gap-4" data-testid="suggested-weights">
      <dl className="grid gap-3 sm:grid-cols-2">
        <div className="rounded-lg border border-slate-200 px-3 py-2">
          <dt className="text-xs text-slate-500">AUC of the current weights</dt>
          <dd className="text-lg font-semibold tabular-nums text-slate-900">{aucLine(s.currentAuc)}</dd>
        </div>
        <div className="rounded-lg border border-slate-200 px-3 py-2">
          <dt className="text-xs text-slate-500">AUC of the suggestion, on held-out accounts</dt>
          <dd className="text-lg font-semibold tabular-nums text-slate-900" data-testid="suggested-auc">
            {aucLine(s.suggestedAuc)}
          </dd>
        </div>
      </dl>
      <p className="text-sm text-slate-700">{comparison(s)}</p>
      {unclear > 0 ? (
        <p className="text-sm text-slate-700" data-testid="suggestion-unclear">
          For {unclear === 1 ? "one event type" : `${formatCount(unclear)} event types`} the data cannot tell whether{" "}
          {unclear === 1 ? "it goes" : "they go"} with renewing or with churning (the 95 % interval of the fitted effect includes zero: too rare, or too
          mixed, in this period). They are marked “unclear” and keep their current weight when the suggestion is loaded.
        </p>
      ) : null}

      <div className="-mx-4 overflow-x-auto sm:mx-0">
        <table className="min-w-full text-left text-sm" aria-label="Current and suggested weights">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-2 pl-4 pr-2 font-medium sm:pl-0 sm:pr-4">
                Event
              </th>
              <th scope="col" className="px-2 py-2 text-right font-medium sm:px-3">
                Current
              </th>
              <th scope="col" className="px-2 py-2 text-right font-medium sm:px-3">
                Suggested
              </th>
              <th scope="col" className="py-2 pl-2 pr-4 font-medium sm:pl-4 sm:pr-0">
                <span className="sr-only">Change</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {s.weights.map((w) => (
              <tr key={w.key}>
                <th scope="row" className="py-2 pl-4 pr-2 font-medium text-slate-900 sm:pl-0 sm:pr-4">
                  {w.label}
                  {!w.active ? <span className="ml-2 text-xs font-normal text-slate-500">inactive</span> : null}
                </th>
                <td className="px-2 py-2 text-right tabular-nums text-slate-700 sm:px-3">{formatPointsExact(w.weightHundredths)}</td>
                <td className={`px-2 py-2 text-right tabular-nums sm:px-3 ${w.directionUnclear ? "text-slate-500" : "font-semibold text-slate-900"}`}>
                  {w.noData ? <span className="font-normal text-slate-500" title="No account had this event in its window: the current weight is kept.">kept (no data)</span> : formatPointsExact(w.suggestedHundredths)}
                </td>
                <td className="whitespace-nowrap py-2 pl-2 pr-4 text-xs sm:pl-4 sm:pr-0">
                  {w.noData ? null : w.directionUnclear ? (
                    <span className="text-slate-500" title="The 95 % interval of this event's effect includes zero: loading keeps the current weight.">
                      unclear
                    </span>
                  ) : (
                    <Change from={w.weightHundredths} to={w.suggestedHundredths} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-slate-50 px-3 py-3">
        <p className="text-sm text-slate-600">
          {canLoadWeights
            ? "Loading opens the weights editor with these as unsaved changes: nothing changes until you preview their impact and save."
            : "An administrator can load these into the weights editor, preview their impact and save them."}
        </p>
        {canLoadWeights ? (
          changed.length > 0 ? (
            <Link href={href} className="rounded-md bg-blue-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-blue-700">
              Load into the weights editor
            </Link>
          ) : (
            <span className="text-sm text-slate-500" data-testid="suggestion-nothing-to-load">
              {unclear > 0 ? "Nothing to load: no change is clear enough in this period." : "The suggestion equals the current weights."}
            </span>
          )
        ) : null}
      </div>

      <details className="text-sm text-slate-600">
        <summary className="cursor-pointer font-medium text-slate-700">How these are computed</summary>
        <div className="mt-2 space-y-2">
          <p>
            A logistic regression of renewing (renewed, expanded or contracted) against churning, on each event type&apos;s count in the scoring window, with an L2 (ridge) penalty whose
            strength λ = {s.lambda.toPrecision(2)} was chosen by {s.folds}-fold cross-validation (lowest held-out deviance). Counts are standardised first, so rare and frequent events
            are penalised alike.
          </p>
          <p>
            Each effect comes with an approximate standard error (from the curvature of the fit at its optimum); where its 95 % interval includes zero the event is marked
            “unclear”, and loading the suggestion leaves its weight as it is.
          </p>
          <p>
            The regression&apos;s coefficients are changes in the log-odds of renewing per event. They are turned into points by one factor, {s.scale.toPrecision(3)} points per unit
            of log-odds,{" "}
            {s.scaleMethod === "least_squares"
              ? "chosen so that the suggested scores of these accounts stay as close as possible to their current scores (least squares): accounts keep their bands unless the regression says the current weights misjudge them."
              : "chosen so that the suggested scores spread as widely as the current ones (the suggestion orders accounts too differently to stay close to their current scores)."}{" "}
            With the suggested weights, a score of{" "}
            {s.probabilityAt.map((p, i) => (
              <span key={p.score}>
                {i > 0 ? (i === s.probabilityAt.length - 1 ? " and " : ", ") : ""}
                {p.score} means about a {formatPercent(p.probability)} chance of renewing
              </span>
            ))}
            .
          </p>
          <p>
            The held-out AUC scores every account with a model fitted without it (its fold left out); the current weights were not fitted to these accounts at all. The difference
            is paired on the same renewals (DeLong). λ was chosen on the same folds, which flatters the suggestion a little. Event types nobody used in the window keep their
            current weight.
          </p>
        </div>
      </details>
    </div>
  );
}
