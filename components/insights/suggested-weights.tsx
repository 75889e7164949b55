"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "@/components/card";
import { ErrorBlock, LoadingBlock } from "@/components/query-state";
import { formatCount, formatPointsExact } from "@/lib/format";
import type { InsightsParams } from "@/lib/insights/params";
import { suggestionQuery } from "@/lib/insights/query-options";
import type { Suggestion, WeightVerdict } from "@/lib/insights/suggest";
import { encodeSuggestedWeights, SUGGESTED_PARAM } from "@/lib/insights/suggestion-link";
import { keptNote, offerText, scaleText } from "@/lib/insights/suggestion-text";
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

const KEPT_LABELS: Record<Exclude<WeightVerdict, "proposed">, string> = {
  no_data: "kept · no data",
  unclear: "unclear · kept",
  disagrees: "data disagrees · kept",
  inactive: "inactive · kept",
};

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
          ? `Fitted to the ${formatCount(data.renewals)} scored accounts up for renewal: which events in the ${data.windowDays}-day window ${data.lead} days before the renewal date went with renewing.`
          : "Which events went with renewing, fitted to the scored accounts up for renewal in the period."
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
          Weights are suggested once the period has at least {s.needed} scored accounts that renewed and {s.needed} that churned; it has {formatCount(s.renewed)} and{" "}
          {formatCount(s.churned)}. Widen the period, or record more outcomes.
        </p>
      ) : (
        <Fit s={s} canLoadWeights={canLoadWeights} />
      )}
    </Card>
  );
}

function Fit({ s, canLoadWeights }: { s: Fitted; canLoadWeights: boolean }) {
  // Kept weights change too when the common factor is not 1: everything that differs is loaded.
  const changed = s.weights.filter((w) => w.suggestedHundredths !== w.weightHundredths);
  const count = (verdict: WeightVerdict) => s.weights.filter((w) => w.verdict === verdict).length;
  const unclear = count("unclear");
  const disagrees = count("disagrees");
  const offered = s.offer === "load" && changed.length > 0;
  const href = `/admin/weights?${SUGGESTED_PARAM}=${encodeURIComponent(encodeSuggestedWeights(changed.map((w) => ({ key: w.key, hundredths: w.suggestedHundredths }))))}`;
  const types = (n: number) => (n === 1 ? "one event type" : `${formatCount(n)} event types`);
  return (
    <div className="flex flex-col gap-4" data-testid="suggested-weights" data-offer={s.offer}>
      <dl className="grid gap-3 sm:grid-cols-2">
        <div className="rounded-lg border border-slate-200 px-3 py-2">
          <dt className="text-xs text-slate-500">AUC of the current weights</dt>
          <dd className="text-lg font-semibold tabular-nums text-slate-900">{aucLine(s.currentAuc)}</dd>
        </div>
        <div className="rounded-lg border border-slate-200 px-3 py-2">
          <dt className="text-xs text-slate-500">AUC of the suggested weights, on accounts they were not fitted on</dt>
          <dd className="text-lg font-semibold tabular-nums text-slate-900" data-testid="suggested-auc">
            {s.suggestedAuc ? aucLine(s.suggestedAuc) : "—"}
          </dd>
        </div>
      </dl>
      <p className="text-sm text-slate-700" data-testid="suggestion-verdict">
        {offerText(s)}
      </p>
      {s.scale ? (
        <p className="text-sm text-slate-700" data-testid="suggestion-scale">
          {scaleText(s)}
        </p>
      ) : null}
      {unclear > 0 ? (
        <p className="text-sm text-slate-700" data-testid="suggestion-unclear">
          For {types(unclear)} the data cannot tell whether {unclear === 1 ? "it goes" : "they go"} with renewing or with churning (the 95 % interval of the fitted effect
          includes zero: too rare, or too mixed, in this period). They are marked “unclear” and keep their current weight.
        </p>
      ) : null}
      {disagrees > 0 ? (
        <p className="text-sm text-slate-700" data-testid="suggestion-disagrees">
          For {types(disagrees)} the renewals point the other way from the sign of {disagrees === 1 ? "its" : "their"} weight (for example a risk signal that went with
          renewing, because only busy accounts raise it). {disagrees === 1 ? "It is" : "They are"} marked “data disagrees” and kept: whether an event is a risk signal is
          your call, not the regression&apos;s.
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
              <tr key={w.key} data-verdict={w.verdict}>
                <th scope="row" className="py-2 pl-4 pr-2 font-medium text-slate-900 sm:pl-0 sm:pr-4">
                  {w.label}
                </th>
                <td className="px-2 py-2 text-right tabular-nums text-slate-700 sm:px-3">{formatPointsExact(w.weightHundredths)}</td>
                <td className={`px-2 py-2 text-right tabular-nums sm:px-3 ${w.verdict === "proposed" ? "font-semibold text-slate-900" : "text-slate-500"}`}>
                  {formatPointsExact(w.suggestedHundredths)}
                </td>
                <td className="py-2 pl-2 pr-4 text-xs sm:pl-4 sm:pr-0">
                  {w.verdict === "proposed" ? (
                    <span className="whitespace-nowrap">
                      <Change from={w.weightHundredths} to={w.suggestedHundredths} />
                    </span>
                  ) : (
                    <span className={w.verdict === "disagrees" ? "text-amber-800" : "text-slate-500"} title={keptNote(w)}>
                      {KEPT_LABELS[w.verdict]}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-slate-50 px-3 py-3">
        <p className="text-sm text-slate-600">
          {!offered
            ? "Nothing here is offered for loading: the current weights stay as they are."
            : canLoadWeights
              ? "Loading opens the weights editor with these as unsaved changes: nothing changes until you preview their impact and save."
              : "An administrator can load these into the weights editor, preview their impact and save them."}
        </p>
        {canLoadWeights && offered ? (
          <Link href={href} className="rounded-md bg-blue-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-blue-700">
            Load into the weights editor
          </Link>
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
            Only clear effects are proposed. Each effect comes with an approximate standard error (from the curvature of the fit at its optimum); where its 95 % interval includes
            zero the event is “unclear”. An effect against the sign of the event&apos;s weight is “data disagrees”. Those, inactive events and events nobody used in the window keep
            their weight.
          </p>
          <p>
            The regression&apos;s coefficients are changes in the log-odds of renewing per event. They become points in two steps. First, one factor
            {s.scale ? ` (${s.scale.pointsPerLogOdds.toPrecision(3)} points per unit of log-odds)` : ""}{" "}
            {s.scale?.pointsMethod === "spread"
              ? "makes the fitted scores spread as widely as the current ones (they order accounts too differently to stay close to them);"
              : "puts the fitted scores as close as possible to the current ones on these renewals (least squares);"}{" "}
            kept events keep their weights. Then every weight is multiplied by one more factor{s.scale ? ` (${s.scale.factor.toFixed(2)})` : ""} so that the mean
            score over all accounts, with their counts in today&apos;s scoring window, stays what it is (with every weight at 0, so that it is the middle of the medium
            band). A common factor changes nobody&apos;s rank, and scores keep their scale, so the bands keep about their sizes: accounts move between bands where the
            renewals say the current weights misjudge them.
          </p>
          <p>
            The held-out AUC scores every renewal with the weights a fit without its fold would suggest (turned into points the same way, the kept weights as they are); the current weights
            were not fitted to these accounts at all. The difference is paired on the same renewals (DeLong); the suggestion is offered only when its 95 % interval lies above zero.
            λ and which effects are clear were chosen on all renewals, which flatters the suggestion a little.
          </p>
        </div>
      </details>
    </div>
  );
}
