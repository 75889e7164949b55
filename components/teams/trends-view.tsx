"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card, EmptyState } from "@/components/card";
import { NoDataYet } from "@/components/setup/no-data-yet";
import { BandMixAreaChart, type BandMixRow } from "@/components/charts/band-mix-area-chart";
import { seriesColor } from "@/components/charts/palette";
import { ChartLegend, TimeSeriesChart, type TimeSeriesLine, type TimeSeriesRow } from "@/components/charts/time-series-chart";
import { Field, QueryStates, SegmentedControl, SELECT_CLASS, UpdatingNote } from "@/components/query-state";
import { Stat } from "@/components/stat";
import { formatAverage, formatCount, formatDate, formatDelta } from "@/lib/format";
import { BAND_INFO, BANDS } from "@/lib/scoring/bands";
import { addDaysIso } from "@/lib/teams/dates";
import { DIMENSION_LABELS, DIMENSIONS, isDimension } from "@/lib/teams/dimensions";
import { MAX_COMPARED_SEGMENTS, METRICS, RANGES, toQueryString, trendsParamsSchema } from "@/lib/teams/params";
import { markersQuery, trendsQuery } from "@/lib/teams/query-options";
import type { TrendSeries, TrendsData } from "@/lib/teams/types";
import { useHydrated } from "@/lib/use-hydrated";
import { useUrlParams } from "@/lib/use-url-params";
import { bandColor } from "../band-style";

function dates(data: TrendsData, length: number): string[] {
  return Array.from({ length }, (_, d) => addDaysIso(data.startDate, d));
}

export function TrendsView({ isAdmin }: { isAdmin: boolean }) {
  const [params, setParams] = useUrlParams(trendsParamsSchema);
  const hydrated = useHydrated();
  const trends = useQuery({ ...trendsQuery(params), placeholderData: keepPreviousData });
  const markers = useQuery(markersQuery());
  const markerList = (markers.data ?? []).map((m) => ({ date: m.date, title: m.title }));
  const data = trends.data;
  const chosen = data?.series.map((s) => s.key) ?? [];

  const toggleSegment = (key: string) => {
    const next = chosen.includes(key) ? chosen.filter((k) => k !== key) : [...chosen, key].slice(-MAX_COMPARED_SEGMENTS);
    setParams({ segments: next.length > 0 ? next : undefined }, { replace: true });
  };

  return (
    <div className="flex flex-col gap-4" data-testid="trends-view" data-hydrated={hydrated}>
      <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
        <Field label="Range" htmlFor="range-group">
          <div id="range-group">
            <SegmentedControl label="Range" options={RANGES} value={params.range} onChange={(range) => setParams({ range })} format={(d) => `${d} days`} />
          </div>
        </Field>
        <Field label="Split by" htmlFor="split">
          <select
            id="split"
            className={SELECT_CLASS}
            value={params.dimension ?? ""}
            onChange={(e) => setParams({ dimension: isDimension(e.target.value) ? e.target.value : undefined, segments: undefined })}
          >
            <option value="">Nothing (all accounts)</option>
            {DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {DIMENSION_LABELS[d]}
              </option>
            ))}
          </select>
        </Field>
        {params.dimension ? (
          <Field label="Show" htmlFor="metric-group">
            <div id="metric-group">
              <SegmentedControl label="Metric" options={METRICS} value={params.metric} onChange={(metric) => setParams({ metric }, { replace: true })} format={(m) => (m === "mean" ? "Mean" : "Median")} />
            </div>
          </Field>
        ) : null}
        <UpdatingNote active={trends.isPlaceholderData && trends.isFetching} />
        <Link href={`/trends/compare${toQueryString({ dimension: params.dimension })}`} className="ml-auto text-sm font-medium text-blue-700 hover:underline">
          Before / after a change →
        </Link>
      </div>

      {params.dimension && data && data.available.length > 0 ? (
        <fieldset className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
          <legend className="px-1 text-xs font-medium uppercase tracking-wide text-slate-500">{DIMENSION_LABELS[params.dimension]} segments</legend>
          <div className="flex flex-wrap gap-2">
            {data.available.map((s) => {
              const index = chosen.indexOf(s.key);
              const on = index >= 0;
              return (
                <label
                  key={s.key}
                  className={`flex cursor-pointer items-center gap-2 rounded-full border px-3 py-1 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-blue-500 ${
                    on ? "border-slate-300 bg-slate-50 text-slate-900" : "border-slate-200 text-slate-500"
                  }`}
                >
                  <input type="checkbox" checked={on} onChange={() => toggleSegment(s.key)} className="sr-only" />
                  <span aria-hidden="true" className="size-2.5 rounded-full" style={{ background: on ? seriesColor(index) : "var(--color-chart-grid)" }} />
                  {s.label}
                  <span className="text-xs tabular-nums text-slate-400">{formatCount(s.accounts)}</span>
                </label>
              );
            })}
          </div>
        </fieldset>
      ) : null}

      <QueryStates query={trends} loadingLabel="Loading trends" loadingHeight={320} noData={<NoDataYet isAdmin={isAdmin}>Trends appear once accounts have been scored.</NoDataYet>}>
        {(data) =>
          data.series.length === 0 ? (
            <EmptyState title="No segment chosen">Choose one or more segments above to see their trends.</EmptyState>
          ) : (
            <>
              {data.dimension === null ? <OverallStats series={data.series[0]} rangeDays={data.rangeDays} /> : null}
              <ScoreCard data={data} metric={params.metric} markers={[...markerList, ...data.ruleChanges.map((r) => ({ ...r, kind: "rules" as const }))]} />
              <BandMixCards data={data} markers={[...markerList, ...data.ruleChanges.map((r) => ({ ...r, kind: "rules" as const }))]} />
            </>
          )
        }
      </QueryStates>
    </div>
  );
}

function OverallStats({ series, rangeDays }: { series: TrendSeries | undefined; rangeDays: number }) {
  if (!series) return null;
  const lastMean = series.mean.at(-1) ?? null;
  const firstMean = series.mean.find((v) => v !== null) ?? null;
  const lastMedian = series.median.at(-1) ?? null;
  const firstMedian = series.median.find((v) => v !== null) ?? null;
  const change = (a: number | null, b: number | null) => (a === null || b === null ? undefined : `${formatDelta(Math.round(a - b))} over ${rangeDays} days`);
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Stat label="Mean score today" value={lastMean === null ? "—" : formatAverage(lastMean)} hint={change(lastMean, firstMean)} testId="trend-mean-now" />
      <Stat label="Median score today" value={lastMedian === null ? "—" : formatAverage(lastMedian)} hint={change(lastMedian, firstMedian)} />
      <Stat
        label="Accounts today"
        value={formatCount(series.accounts.at(-1) ?? 0)}
        hint={`${formatCount(series.accounts[0] ?? 0)} at the start of the range; every stage, churned included`}
      />
      {/* The daily history holds scores, not stages or activity: this is the band by score alone,
          unlike the overview's churn risk (trials and customers with usage or gone silent). */}
      <Stat
        label="Scoring ≤ 0 today"
        value={formatCount(series.bands.churn_risk.at(-1) ?? 0)}
        hint="every account, churned and not active yet included (the overview counts trials and customers)"
      />
    </dl>
  );
}

function ScoreCard({ data, metric, markers }: { data: TrendsData; metric: "mean" | "median"; markers: { date: string; title: string }[] }) {
  const overall = data.dimension === null;
  const length = data.series[0]?.accounts.length ?? 0;
  const days = dates(data, length);
  let lines: TimeSeriesLine[];
  let rows: TimeSeriesRow[];
  if (overall) {
    const s = data.series[0];
    lines = [
      { key: "mean", label: "Mean score", color: "var(--color-chart-line)" },
      { key: "median", label: "Median score", color: "var(--color-chart-median)", dashed: true },
    ];
    rows = days.map((date, d) => ({ date, mean: s?.mean[d] ?? null, median: s?.median[d] ?? null }));
  } else {
    lines = data.series.map((s, i) => ({ key: s.key, label: s.label, color: seriesColor(i) }));
    rows = days.map((date, d) => {
      const row: TimeSeriesRow = { date };
      for (const s of data.series) row[s.key] = (metric === "mean" ? s.mean[d] : s.median[d]) ?? null;
      return row;
    });
  }
  const what = overall ? "Mean and median score" : `${metric === "mean" ? "Mean" : "Median"} score by ${data.dimensionLabel?.toLowerCase()}`;
  return (
    <Card title="Score over time" description={`${what} per day, ${formatDate(data.startDate)} – ${formatDate(data.endDate)}`}>
      <TimeSeriesChart
        data={rows}
        lines={lines}
        markers={markers}
        valueFormatter={(v) => formatAverage(v)}
        height={320}
        ariaLabel={`${what} per day from ${formatDate(data.startDate)} to ${formatDate(data.endDate)}`}
      />
      <ChartLegend lines={lines} markers={markers} />
    </Card>
  );
}

function BandMixCards({ data, markers }: { data: TrendsData; markers: { date: string; title: string }[] }) {
  const length = data.series[0]?.accounts.length ?? 0;
  const days = dates(data, length);
  const legend = (
    <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
      {[...BANDS].reverse().map((b) => (
        <li key={b} className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block size-2.5 rounded-sm" style={{ background: bandColor(b) }} />
          {BAND_INFO[b].label}
        </li>
      ))}
    </ul>
  );
  const chart = (s: TrendSeries, height: number) => {
    const rows: BandMixRow[] = days.map((date, d) => ({
      date,
      churn_risk: s.bands.churn_risk[d] ?? 0,
      low: s.bands.low[d] ?? 0,
      medium: s.bands.medium[d] ?? 0,
      high: s.bands.high[d] ?? 0,
      power: s.bands.power[d] ?? 0,
    }));
    return <BandMixAreaChart data={rows} markers={markers} height={height} ariaLabel={`Share of ${s.label.toLowerCase()} in each band per day`} />;
  };
  if (data.dimension === null) {
    const s = data.series[0];
    return s ? (
      <Card title="Band mix over time" description="Share of the accounts that existed each day in each band, by score (churned accounts included)">
        {chart(s, 260)}
        {legend}
      </Card>
    ) : null;
  }
  return (
    <Card title="Band mix over time" description="Share of the accounts that existed each day in each band, by score (churned accounts included), per segment">
      <div className="grid gap-6 lg:grid-cols-2">
        {data.series.map((s) => (
          <div key={s.key} className="min-w-0">
            <h3 className="mb-1 text-sm font-medium text-slate-800">{s.label}</h3>
            {chart(s, 200)}
          </div>
        ))}
      </div>
      {legend}
    </Card>
  );
}
