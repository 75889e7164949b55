"use client";

import { Card } from "@/components/card";
import { RocCurveChart, type RocDatum } from "@/components/charts/roc-curve-chart";
import { formatPercent } from "@/lib/format";
import type { ValidationData } from "@/lib/insights/validation";

/** How well the score ranks churners: the ROC curve, its AUC and two thresholds people use. */
export function RankingCard({ data }: { data: ValidationData }) {
  const ranking = data.ranking;
  return (
    <Card
      title="How well the score ranks churners"
      description="Flag every account below a score: how many churners you catch, against how many renewers you flag with them. The dashed diagonal is a coin toss."
    >
      {!ranking ? (
        <p className="text-sm text-slate-600">The ranking needs accounts that renewed and accounts that churned among those scored.</p>
      ) : (
        <>
          <RocCurveChart
            data={ranking.curve.map(
              (p): RocDatum => ({
                renewersFlagged: p.renewersFlagged,
                churnersCaught: p.churnersCaught,
                thresholdLabel: p.threshold <= -1e8 ? "nobody" : `scores ≤ ${Math.round(p.threshold)}`,
              }),
            )}
            label={`ROC curve: AUC ${ranking.auc.auc.toFixed(2)}`}
          />
          <p className="mt-2 text-sm text-slate-700">
            <span className="font-semibold">AUC {ranking.auc.auc.toFixed(2)}</span> (95 % interval {ranking.auc.lower.toFixed(2)}–{ranking.auc.upper.toFixed(2)}, DeLong&apos;s method):
            a renewer outscored a churner in {formatPercent(ranking.auc.auc)} of pairs, over {ranking.auc.positives.toLocaleString("en-US")} accounts that renewed and{" "}
            {ranking.auc.negatives.toLocaleString("en-US")} that churned.
          </p>
          <ul className="mt-2 space-y-1 text-sm text-slate-600">
            {ranking.operatingPoints.map((p) => (
              <li key={p.below}>
                Calling {p.description} (below {p.below}) would have reached <span className="font-medium text-slate-900">{formatPercent(p.churnersCaught)}</span> of the churners and{" "}
                {formatPercent(p.renewersFlagged)} of those who renewed anyway.
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
