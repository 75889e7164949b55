"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card, EmptyState } from "@/components/card";
import { CohortChart, type CohortRow } from "@/components/charts/cohort-chart";
import { GROUP_COLORS } from "@/components/charts/palette";
import { IntervalPlot } from "@/components/charts/interval-plot";
import { ErrorBlock, Field, LoadingBlock, SegmentedControl, SELECT_CLASS, UpdatingNote } from "@/components/query-state";
import { formatAverage, formatCount, formatDate, formatDeltaFine, formatInterval } from "@/lib/format";
import { DIMENSION_LABELS, DIMENSIONS, type Dimension } from "@/lib/teams/dimensions";
import { compareParamsSchema, HORIZONS, WINDOWS } from "@/lib/teams/params";
import { compareQuery } from "@/lib/teams/queries";
import type { BeforeAfterRow, CompareData, GroupFigure } from "@/lib/teams/types";
import type { VerdictKind } from "@/lib/teams/verdict";
import { useHydrated } from "@/lib/use-hydrated";
import { useUrlParams } from "@/lib/use-url-params";

const DEFAULTS = { window: 90, dimension: "plan", horizon: 30 } as const;

const VERDICT_STYLE: Record<VerdictKind, { badge: string; label: string; panel: string }> = {
  higher: { badge: "bg-emerald-50 text-emerald-800 ring-emerald-600/20", label: "Higher after", panel: "border-emerald-200 bg-emerald-50 text-emerald-900" },
  lower: { badge: "bg-red-50 text-red-800 ring-red-600/20", label: "Lower after", panel: "border-red-200 bg-red-50 text-red-900" },
  no_clear_difference: { badge: "bg-slate-100 text-slate-700 ring-slate-500/20", label: "No clear difference", panel: "border-slate-200 bg-slate-50 text-slate-800" },
  too_small: { badge: "bg-amber-50 text-amber-800 ring-amber-600/20", label: "Too few accounts", panel: "border-amber-200 bg-amber-50 text-amber-900" },
};

function VerdictBadge({ kind }: { kind: VerdictKind }) {
  return <span className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${VERDICT_STYLE[kind].badge}`}>{VERDICT_STYLE[kind].label}</span>;
}

function figure(g: GroupFigure): string {
  return g.meanHundredths === null ? "—" : formatAverage(g.meanHundredths);
}

export function CompareView() {
  const [params, setParams] = useUrlParams(compareParamsSchema, DEFAULTS);
  const hydrated = useHydrated();
  const compare = useQuery({ ...compareQuery(params), placeholderData: keepPreviousData });
  const data = compare.data;

  return (
    <div className="flex flex-col gap-4" data-testid="compare-view" data-hydrated={hydrated}>
      <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
        <Field label="Change" htmlFor="marker">
          <select
            id="marker"
            className={`${SELECT_CLASS} max-w-[20rem]`}
            value={data?.marker?.id ?? ""}
            onChange={(e) => setParams({ marker: Number(e.target.value), cohort: undefined })}
            disabled={!data || data.markers.length === 0}
          >
            {data?.markers.length === 0 ? <option value="">No change markers yet</option> : null}
            {data && data.markers.length > 0 && !data.marker ? <option value="">Choose a change…</option> : null}
            {data?.markers.map((m) => (
              <option key={m.id} value={m.id}>
                {formatDate(m.date)} — {m.title}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Window" htmlFor="window-group">
          <div id="window-group">
            <SegmentedControl label="Window before and after" options={WINDOWS} value={params.window} onChange={(window) => setParams({ window })} format={(d) => `${d} d`} />
          </div>
        </Field>
        <Field label="Split by" htmlFor="dimension">
          <select
            id="dimension"
            className={SELECT_CLASS}
            value={params.dimension}
            onChange={(e) => setParams({ dimension: e.target.value as Dimension, cohort: undefined })}
          >
            {DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {DIMENSION_LABELS[d]}
              </option>
            ))}
          </select>
        </Field>
        <UpdatingNote active={compare.isPlaceholderData && compare.isFetching} />
      </div>

      {compare.isPending ? (
        <Card>
          <LoadingBlock label="Comparing before and after" height={320} />
        </Card>
      ) : compare.isError ? (
        <ErrorBlock error={compare.error} onRetry={() => void compare.refetch()} />
      ) : !data ? (
        <EmptyState title="No scores yet">Before/after comparisons appear once accounts have been scored.</EmptyState>
      ) : !data.marker && data.markers.length > 0 ? (
        <EmptyState title="That change marker no longer exists">Choose another change above to compare before and after it.</EmptyState>
      ) : !data.marker ? (
        <EmptyState title="No change markers yet">
          Add a change marker (a launch, a pricing change, an onboarding programme) on the{" "}
          <Link href="/trends" className="font-medium text-blue-700 hover:underline">
            Trends
          </Link>{" "}
          page, then compare the scores before and after it here.
        </EmptyState>
      ) : (
        <>
          <MarkerSummaryCard data={data} />
          <CohortCard data={data} horizon={params.horizon} onHorizon={(horizon) => setParams({ horizon }, { replace: true })} onSegment={(cohort) => setParams({ cohort }, { replace: true })} />
          <SegmentsCompareCard data={data} />
          <MethodNote data={data} />
        </>
      )}
    </div>
  );
}

function MarkerSummaryCard({ data }: { data: CompareData }) {
  const m = data.marker;
  if (!m) return null;
  return (
    <section aria-label="The change" className="rounded-xl border border-purple-200 bg-gradient-to-r from-purple-50 to-white p-4 shadow-sm sm:p-5">
      <p className="text-xs font-medium uppercase tracking-wide text-purple-700">Change on {formatDate(m.date)}</p>
      <h2 className="mt-1 text-lg font-semibold text-slate-900">{m.title}</h2>
      {m.description ? <p className="mt-1 text-sm text-slate-600">{m.description}</p> : null}
      <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <div className="flex gap-1.5">
          <dt className="text-slate-500">Before:</dt>
          <dd className="tabular-nums text-slate-800">{data.before ? `${formatDate(data.before.from)} – ${formatDate(data.before.to)} (${data.before.days} days)` : "no scores"}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-slate-500">After:</dt>
          <dd className="tabular-nums text-slate-800">{data.after ? `${formatDate(data.after.from)} – ${formatDate(data.after.to)} (${data.after.days} days)` : "no scores yet"}</dd>
        </div>
      </dl>
      {data.notes.length > 0 ? (
        <ul className="mt-2 list-disc pl-5 text-sm text-amber-800">
          {data.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function CohortCard({
  data,
  horizon,
  onHorizon,
  onSegment,
}: {
  data: CompareData;
  horizon: number;
  onHorizon: (h: (typeof HORIZONS)[number]) => void;
  onSegment: (key: string | undefined) => void;
}) {
  const cohort = data.cohort;
  if (!cohort) return null;
  const min = data.minGroupSize;
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
  const h = cohort.headline;
  const style = VERDICT_STYLE[h.verdict.kind];
  const lastAge = (curve: { n: number }[]) => {
    let last = -1;
    curve.forEach((p, i) => {
      if (p.n >= min) last = i;
    });
    return last;
  };
  const afterReach = lastAge(cohort.after.curve);
  const labels = { before: "Signed up before", after: "Signed up after" };
  return (
    <Card
      title="New accounts: how fast they engage"
      description={`Score by days since signup for accounts that signed up in the ${data.windowDays} days before the change and in the ${data.windowDays} days after it`}
      actions={
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Segment" htmlFor="cohort-segment">
            <select
              id="cohort-segment"
              className={SELECT_CLASS}
              value={cohort.segment?.key ?? ""}
              onChange={(e) => onSegment(e.target.value || undefined)}
            >
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
              <SegmentedControl label="Days since signup to judge at" options={HORIZONS} value={horizon as (typeof HORIZONS)[number]} onChange={onHorizon} format={(d) => `day ${d}`} />
            </div>
          </Field>
        </div>
      }
    >
      <div role="status" data-testid="cohort-verdict" data-kind={h.verdict.kind} className={`rounded-lg border px-4 py-3 text-sm ${style.panel}`}>
        <p className="font-semibold">{style.label}{cohort.segment ? ` · ${cohort.segment.label}` : ""}</p>
        <p className="mt-0.5">{h.verdict.text}</p>
      </div>
      <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-4">
        {(
          [
            ["before", labels.before, cohort.before, h.before],
            ["after", labels.after, cohort.after, h.after],
          ] as const
        ).map(([key, label, group, fig]) => (
          <div key={key} className="rounded-lg border border-slate-200 p-3 sm:col-span-2">
            <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-600">
              <span aria-hidden="true" className="inline-block h-0.5 w-4 rounded" style={{ background: GROUP_COLORS[key] }} />
              {label}: {formatDate(group.signupFrom)} – {formatDate(group.signupTo)}
            </dt>
            <dd className="mt-1 flex items-baseline gap-2">
              <span className="text-2xl font-semibold tabular-nums text-slate-900" data-testid={`cohort-${key}-mean`}>{figure(fig)}</span>
              <span className="text-sm text-slate-500">at day {h.age} · {formatCount(fig.n)} of {formatCount(group.accounts)} accounts</span>
            </dd>
          </div>
        ))}
      </dl>
      {h.interval ? (
        <p className="mt-2 text-sm text-slate-600">
          Difference at day {h.age}: <strong className="tabular-nums">{formatDeltaFine(h.interval.differenceHundredths)}</strong> points, 95 % interval{" "}
          <span className="tabular-nums">{formatInterval(h.interval.lowerHundredths, h.interval.upperHundredths)}</span>.
        </p>
      ) : null}
      <div className="mt-4">
        <CohortChart
          data={rows}
          horizon={h.age}
          valueFormatter={(v) => formatAverage(v)}
          labels={labels}
          ariaLabel={`Mean score by days since signup for accounts that signed up before and after ${data.marker?.title ?? "the change"}`}
        />
        <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
          <li className="flex items-center gap-1.5">
            <span aria-hidden="true" className="inline-block h-0.5 w-4 rounded" style={{ background: GROUP_COLORS.before }} />
            {labels.before}
          </li>
          <li className="flex items-center gap-1.5">
            <span aria-hidden="true" className="inline-block h-0.5 w-4 rounded" style={{ background: GROUP_COLORS.after }} />
            {labels.after}
          </li>
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

function SegmentsCompareCard({ data }: { data: CompareData }) {
  const bounds = data.rows.flatMap((r) => (r.interval ? [r.interval.lowerHundredths, r.interval.upperHundredths] : []));
  const extent = Math.max(100, ...bounds.map((b) => Math.abs(b)));
  const domain: [number, number] = [-extent, extent];
  return (
    <Card
      title={`Before vs after, by ${data.dimensionLabel.toLowerCase()}`}
      description={`Mean daily score of the same accounts (those that existed when the “before” period began) in the ${data.windowDays} days before and after the change`}
    >
      <div className="-mx-5 hidden overflow-x-auto relative md:block">
        <table className="w-full min-w-[56rem] text-sm" data-testid="before-after-table">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              <th scope="col" className="py-2 pl-5 pr-2 font-medium">Segment</th>
              <th scope="col" className="px-2 py-2 text-right font-medium">Before</th>
              <th scope="col" className="px-2 py-2 text-right font-medium">After</th>
              <th scope="col" className="px-2 py-2 text-right font-medium">Difference</th>
              <th scope="col" className="px-2 py-2 font-medium">95 % interval</th>
              <th scope="col" className="py-2 pl-2 pr-5 font-medium">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <CompareRow key={row.key} row={row} domain={domain} />
            ))}
          </tbody>
        </table>
      </div>
      <ul className="flex flex-col gap-3 md:hidden">
        {data.rows.map((row) => (
          <li key={row.key} className="rounded-lg border border-slate-200 p-3" data-testid={`compare-card-${row.key}`}>
            <div className="flex items-center justify-between gap-2">
              <span className="truncate font-medium text-slate-900">{row.label}</span>
              <VerdictBadge kind={row.verdict.kind} />
            </div>
            <dl className="mt-2 grid grid-cols-3 gap-2 text-center text-xs">
              <div>
                <dt className="text-slate-500">Before</dt>
                <dd className="text-sm font-semibold tabular-nums">{figure(row.before)}</dd>
                <dd className="text-slate-500">n = {formatCount(row.before.n)}</dd>
              </div>
              <div>
                <dt className="text-slate-500">After</dt>
                <dd className="text-sm font-semibold tabular-nums">{figure(row.after)}</dd>
                <dd className="text-slate-500">n = {formatCount(row.after.n)}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Difference</dt>
                <dd className="text-sm font-semibold tabular-nums">{row.interval ? formatDeltaFine(row.interval.differenceHundredths) : "—"}</dd>
                <dd className="text-slate-500 tabular-nums">{row.interval ? formatInterval(row.interval.lowerHundredths, row.interval.upperHundredths) : ""}</dd>
              </div>
            </dl>
            <p className="mt-2 text-xs text-slate-600">{row.verdict.text}</p>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function CompareRow({ row, domain }: { row: BeforeAfterRow; domain: [number, number] }) {
  const i = row.interval;
  const significant = row.verdict.kind === "higher" || row.verdict.kind === "lower";
  return (
    <tr className={`border-b border-slate-100 align-top last:border-0 ${row.key === "__all" ? "bg-slate-50/70 font-medium" : ""}`} data-testid={`compare-row-${row.key}`}>
      <th scope="row" className="max-w-[12rem] truncate py-2.5 pl-5 pr-2 text-left font-medium text-slate-900">{row.label}</th>
      <td className="px-2 py-2.5 text-right tabular-nums">
        {figure(row.before)}
        <span className="block text-xs font-normal text-slate-500">n = {formatCount(row.before.n)}</span>
      </td>
      <td className="px-2 py-2.5 text-right tabular-nums">
        {figure(row.after)}
        <span className="block text-xs font-normal text-slate-500">n = {formatCount(row.after.n)}</span>
      </td>
      <td className="px-2 py-2.5 text-right tabular-nums">{i ? formatDeltaFine(i.differenceHundredths) : "—"}</td>
      <td className="px-2 py-2.5">
        {i ? (
          <div className="flex items-center gap-2">
            <IntervalPlot
              lower={i.lowerHundredths}
              upper={i.upperHundredths}
              estimate={i.differenceHundredths}
              domain={domain}
              significant={significant}
              label={`95 % interval ${formatInterval(i.lowerHundredths, i.upperHundredths)} points`}
            />
            <span className="whitespace-nowrap text-xs font-normal tabular-nums text-slate-600">{formatInterval(i.lowerHundredths, i.upperHundredths)}</span>
          </div>
        ) : (
          <span className="text-xs text-slate-500">—</span>
        )}
      </td>
      <td className="max-w-[22rem] py-2.5 pl-2 pr-5 font-normal" data-testid="verdict" data-kind={row.verdict.kind}>
        <VerdictBadge kind={row.verdict.kind} />
        <p className="mt-1 text-xs text-slate-600">{row.verdict.text}</p>
      </td>
    </tr>
  );
}

function MethodNote({ data }: { data: CompareData }) {
  return (
    <details className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-700">
      <summary className="cursor-pointer select-none font-medium text-slate-800 marker:text-slate-400">How these figures are computed</summary>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        <li>
          <strong className="font-medium">By segment:</strong> each account&apos;s figure is its mean daily score over the period. An account counts in a
          period only if it had signed up by the period&apos;s first day, so ramp-up of brand-new accounts does not blur the comparison (the cohort view
          covers them).
        </li>
        <li>
          <strong className="font-medium">Intervals:</strong> the 95 % interval of the difference (after − before) is Welch&apos;s t interval, which does not
          assume equal spreads. Most accounts appear in both periods; treating the groups as independent makes the interval wider, so it errs on the
          side of caution.
        </li>
        <li>
          <strong className="font-medium">Verdicts:</strong> a difference is reported only when both groups have at least {data.minGroupSize} accounts and
          the interval excludes zero. A difference in time is not proof that the change caused it: seasons, pricing or other launches move scores too.
        </li>
        <li>
          <strong className="font-medium">New accounts:</strong> accounts that signed up in the {data.windowDays} days before the change are compared with
          those that signed up in the {data.windowDays} days after, at the same number of days since signup ({data.horizonDays}), so both groups are equally
          new.
        </li>
      </ul>
    </details>
  );
}
