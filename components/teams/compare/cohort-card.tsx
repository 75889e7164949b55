"use client";

import { Card } from "@/components/card";
import { CohortChart, type CohortRow } from "@/components/charts/cohort-chart";
import { GROUP_COLORS } from "@/components/charts/palette";
import { Field, SegmentedControl, SELECT_CLASS } from "@/components/query-state";
import { formatCount, formatDate, formatDeltaFine, formatInterval, formatAverage } from "@/lib/format";
import type { CompareData, EstimateFigure } from "@/lib/teams/compare/types";
import { HORIZONS } from "@/lib/teams/params";
import { DriftStrip, sharedDomain } from "./drift";
import { verdictLook } from "./verdict-style";

function differenceLine(name: string, d: EstimateFigure | null) {
  if (!d) return null;
  return (
    <li>
      {name}: <strong className="tabular-nums">{formatDeltaFine(d.estimateHundredths)}</strong> points, 95 % interval{" "}
      <span className="tabular-nums">{formatInterval(d.lowerHundredths, d.upperHundredths)}</span>
    </li>
  );
}

export function CohortCard({
  data,
  onHorizon,
  onSegment,
}: {
  data: CompareData;
  onHorizon: (h: (typeof HORIZONS)[number]) => void;
  onSegment: (key: string | undefined) => void;
}) {
  const cohort = data.cohort;
  if (!cohort) return null;
  const min = data.method.minGroupSize;
  const h = cohort.headline;
  const look = verdictLook(h.verdict);
  const rows: CohortRow[] = cohort.before.curve.map((b, age) => {
    const a = cohort.after.curve[age];
    const show = (p: typeof b | undefined) => (p && p.n >= min ? p : null);
    const sb = show(b);
    const sa = show(a);
    return {
      age,
      before: sb?.meanHundredths ?? null,
      after: sa?.meanHundredths ?? null,
      beforeRange: sb && sb.lowerHundredths !== null && sb.upperHundredths !== null ? [sb.lowerHundredths, sb.upperHundredths] : null,
      afterRange: sa && sa.lowerHundredths !== null && sa.upperHundredths !== null ? [sa.lowerHundredths, sa.upperHundredths] : null,
      beforeN: b.n,
      afterN: a?.n ?? 0,
    };
  });
  let afterReach = -1;
  cohort.after.curve.forEach((p, i) => {
    if (p.n >= min) afterReach = i;
  });
  const labels = { before: "Signed up before", after: "Signed up after" };
  const groups = [
    ["before", labels.before, cohort.before, h.before],
    ["after", labels.after, cohort.after, h.after],
  ] as const;
  return (
    <Card
      title="New accounts: how fast they engage"
      description={`Score by days since signup for accounts that signed up in the ${data.windowDays} days before the change and in the ${data.windowDays} days after it (different accounts: an unpaired comparison)`}
      actions={
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Segment" htmlFor="cohort-segment">
            <select id="cohort-segment" className={SELECT_CLASS} value={cohort.segment?.key ?? ""} onChange={(e) => onSegment(e.target.value || undefined)}>
              <option value="">All accounts</option>
              {cohort.available.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Judge at" htmlFor="horizon-group">
            <div id="horizon-group">
              <SegmentedControl label="Days since signup to judge at" options={HORIZONS} value={cohort.age as (typeof HORIZONS)[number]} onChange={onHorizon} format={(d) => `day ${d}`} />
            </div>
          </Field>
        </div>
      }
    >
      <div role="status" data-testid="cohort-verdict" data-kind={h.verdict.kind} data-reason={h.verdict.reason ?? ""} className={`rounded-lg border px-4 py-3 text-sm ${look.panel}`}>
        <p className="font-semibold">
          {look.label}
          {cohort.segment ? ` · ${cohort.segment.label}` : ""}
        </p>
        <p className="mt-0.5">{h.verdict.text}</p>
      </div>
      <dl className="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-2">
        {groups.map(([key, label, group, fig]) => (
          <div key={key} className="rounded-lg border border-slate-200 p-3">
            <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-600">
              <span aria-hidden="true" className="inline-block h-0.5 w-4 rounded" style={{ background: GROUP_COLORS[key] }} />
              {label}: {formatDate(group.signupFrom)} – {formatDate(group.signupTo)}
            </dt>
            <dd className="mt-1 flex flex-wrap items-baseline gap-x-2">
              <span className="text-2xl font-semibold tabular-nums text-slate-900" data-testid={`cohort-${key}-mean`}>
                {fig.meanHundredths === null ? "—" : formatAverage(fig.meanHundredths)}
              </span>
              <span className="text-sm text-slate-500">
                mean at day {cohort.age} · median {fig.medianHundredths === null ? "—" : formatAverage(fig.medianHundredths)} · {formatCount(fig.n)} of {formatCount(group.accounts)} accounts
              </span>
            </dd>
          </div>
        ))}
      </dl>
      <ul className="mt-2 space-y-0.5 text-sm text-slate-600" data-testid="cohort-differences">
        {differenceLine(`Difference in means at day ${cohort.age}`, h.meanDifference)}
        {differenceLine("Difference in medians", h.medianDifference)}
      </ul>
      <div className="mt-4" data-testid="cohort-drift">
        <h3 className="text-sm font-medium text-slate-800">How unusual is this?</h3>
        <div className="mt-1">
          <DriftStrip row={h} domain={sharedDomain([h])} width="100%" />
        </div>
        <p className="mt-1 text-xs text-slate-500">
          {h.placebo
            ? `Grey ticks: the same comparison at ${formatCount(h.placebo.dates)} quiet dates (no change in their windows). Shaded: the normal range${
                h.normalRange ? ` (${formatInterval(h.normalRange.lowerHundredths, h.normalRange.upperHundredths)})` : ""
              } — what quiet dates and chance produce. Coloured: this change's difference and its 95 % interval. Dashed: zero.`
            : "No quiet dates: the history is too short to run this comparison where nothing changed."}
        </p>
      </div>
      <div className="mt-4">
        <CohortChart
          data={rows}
          horizon={cohort.age}
          valueFormatter={(v) => formatAverage(v)}
          labels={labels}
          ariaLabel={`Mean score by days since signup for accounts that signed up before and after ${data.marker?.title ?? "the change"}`}
        />
        <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
          {(["before", "after"] as const).map((key) => (
            <li key={key} className="flex items-center gap-1.5">
              <span aria-hidden="true" className="inline-block h-0.5 w-4 rounded" style={{ background: GROUP_COLORS[key] }} />
              {labels[key]}
            </li>
          ))}
          <li>Shaded: 95 % interval of each mean</li>
        </ul>
        <p className="mt-2 text-xs text-slate-500">
          Each point averages the accounts old enough to have reached that day; points backed by fewer than {min} accounts are not drawn
          {afterReach >= 0 && afterReach < cohort.maxAge ? ` (accounts that signed up after the change reach day ${afterReach} so far)` : ""}.
        </p>
      </div>
    </Card>
  );
}
