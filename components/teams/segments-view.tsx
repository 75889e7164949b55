"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { BandMixBar } from "@/components/band-mix-bar";
import { Card } from "@/components/card";
import { NoDataYet } from "@/components/setup/no-data-yet";
import { seriesColor } from "@/components/charts/palette";
import { Sparkline } from "@/components/charts/sparkline";
import { sharedSparklineScale } from "@/lib/teams/sparkline-scale";
import { ChartLegend, TimeSeriesChart, type TimeSeriesRow } from "@/components/charts/time-series-chart";
import { EngagementBar } from "@/components/engagement-bar";
import { ErrorBlock, Field, LoadingBlock, QueryStates, SELECT_CLASS, UpdatingNote } from "@/components/query-state";
import { addDaysIso } from "@/lib/teams/dates";
import { formatAverage, formatCount, formatDate, formatPercent } from "@/lib/format";
import { DIMENSION_LABELS, DIMENSIONS, type Dimension } from "@/lib/teams/dimensions";
import { MAX_COMPARED_SEGMENTS, segmentsParamsSchema, toQueryString, type SegmentSort } from "@/lib/teams/params";
import { markersQuery, segmentsQuery, trendsQuery } from "@/lib/teams/query-options";
import { sortSegments } from "@/lib/teams/sort";
import type { MarkerSummary, SegmentRow, SegmentsData } from "@/lib/teams/types";
import { useHydrated } from "@/lib/use-hydrated";
import { useUrlParams } from "@/lib/use-url-params";
import { EngagementExplainer } from "./engagement-explainer";


const COLUMNS: { sort: SegmentSort; label: string; className: string }[] = [
  { sort: "segment", label: "Segment", className: "text-left" },
  { sort: "accounts", label: "Accounts", className: "text-right" },
  { sort: "mean", label: "Mean", className: "text-right" },
  { sort: "median", label: "Median", className: "text-right" },
];

export function SegmentsView({ isAdmin }: { isAdmin: boolean }) {
  const [params, setParams] = useUrlParams(segmentsParamsSchema);
  const hydrated = useHydrated();
  const segments = useQuery({ ...segmentsQuery(params), placeholderData: keepPreviousData });
  const markers = useQuery(markersQuery());
  const compare = useMemo(() => params.compare ?? [], [params.compare]);

  const setSort = (sort: SegmentSort) => {
    const order = params.sort === sort ? (params.order === "asc" ? "desc" : "asc") : sort === "segment" ? "asc" : "desc";
    setParams({ sort, order }, { replace: true });
  };
  const toggle = (key: string) => {
    const next = compare.includes(key) ? compare.filter((k) => k !== key) : [...compare, key].slice(-MAX_COMPARED_SEGMENTS);
    setParams({ compare: next }, { replace: true });
  };

  return (
    <div className="flex flex-col gap-4" data-testid="segments-view" data-hydrated={hydrated}>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Split accounts by" htmlFor="dimension">
          <select
            id="dimension"
            className={SELECT_CLASS}
            value={params.dimension}
            onChange={(e) => setParams({ dimension: e.target.value as Dimension, compare: undefined, sort: undefined, order: undefined })}
          >
            {DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {DIMENSION_LABELS[d]}
              </option>
            ))}
          </select>
        </Field>
        <UpdatingNote active={segments.isPlaceholderData && segments.isFetching} />
        {params.dimension === "tag" && isAdmin ? (
          <Link href="/admin/tags" className="ml-auto text-sm font-medium text-blue-700 hover:underline">
            Manage tags →
          </Link>
        ) : null}
      </div>

      <QueryStates query={segments} loadingLabel="Loading segments" noData={<NoDataYet isAdmin={isAdmin}>Segments appear once accounts have been scored.</NoDataYet>}>
        {(data) => (
          <>
            <ComparisonCard data={data} compare={compare} markers={markers.data ?? []} />
            <SegmentsTable
              data={data}
              rows={sortSegments(data.segments, params.sort, params.order)}
              sort={params.sort}
              order={params.order}
              onSort={setSort}
              compare={compare}
              onToggle={toggle}
              markers={markers.data ?? []}
            />
            <EngagementExplainer thresholds={data.thresholds} decline={data.decline} compareDays={data.compareDays} />
          </>
        )}
      </QueryStates>
    </div>
  );
}

function markerPositions(data: SegmentsData, markers: MarkerSummary[]): number[] {
  const start = Date.parse(`${data.sparklineStartDate}T00:00:00Z`);
  const end = Date.parse(`${data.asOfDate}T00:00:00Z`);
  return markers
    .map((m) => (Date.parse(`${m.date}T00:00:00Z`) - start) / (end - start))
    .filter((p) => p >= 0 && p <= 1);
}

function SortHeader({ column, sort, order, onSort }: { column: (typeof COLUMNS)[number]; sort?: SegmentSort; order: "asc" | "desc"; onSort: (s: SegmentSort) => void }) {
  const active = sort === column.sort;
  return (
    <th scope="col" aria-sort={active ? (order === "asc" ? "ascending" : "descending") : "none"} className={`px-2 py-2 font-medium ${column.className}`}>
      <button type="button" onClick={() => onSort(column.sort)} className="inline-flex items-center gap-1 uppercase tracking-wide hover:text-slate-900">
        {column.label}
        <span aria-hidden="true" className={active ? "text-slate-700" : "text-slate-300"}>
          {active && order === "asc" ? "▲" : "▼"}
        </span>
      </button>
    </th>
  );
}

function SegmentsTable({
  data,
  rows,
  sort,
  order,
  onSort,
  compare,
  onToggle,
  markers,
}: {
  data: SegmentsData;
  rows: SegmentRow[];
  sort?: SegmentSort;
  order: "asc" | "desc";
  onSort: (s: SegmentSort) => void;
  compare: string[];
  onToggle: (key: string) => void;
  markers: MarkerSummary[];
}) {
  const positions = markerPositions(data, markers);
  // One scale for every row's sparkline, from zero: lines compare, and a drift stays a drift.
  const scale = sharedSparklineScale(rows.map((r) => r.sparkline)) ?? { min: 0, max: 1 };
  const description = (
    <>
      {formatCount(rows.length)} segments by {data.dimensionLabel.toLowerCase()} · {formatCount(data.totalAccounts)} accounts scored as of {formatDate(data.asOfDate)},
      churned ones included (split by lifecycle stage to see them apart)
      {data.overlapping ? " · an account can carry several tags, so segments overlap" : ""} · the 12-month lines share one scale, from{" "}
      {formatAverage(scale.min)} to {formatAverage(scale.max)}
    </>
  );
  if (rows.length === 0) {
    return (
      <Card title="Segments" description={description}>
        <p className="text-sm text-slate-500">No segments for this dimension.</p>
      </Card>
    );
  }
  const extraHeader = (label: string, s: SegmentSort | null, className = "text-right") =>
    s ? <SortHeader column={{ sort: s, label, className }} sort={sort} order={order} onSort={onSort} /> : (
      <th scope="col" className={`px-2 py-2 font-medium uppercase tracking-wide ${className}`}>
        {label}
      </th>
    );
  return (
    <Card title="Segments" description={description}>
      {/* Wide screens: one table row per segment. */}
      <div className="-mx-5 hidden overflow-x-auto relative md:block">
        <table className="w-full min-w-[60rem] text-sm" data-testid="segments-table">
          <thead>
            <tr className="border-b border-slate-200 text-xs text-slate-500">
              <th scope="col" className="w-10 py-2 pl-5 pr-1">
                <span className="sr-only">Compare</span>
              </th>
              {COLUMNS.map((c) => (
                <SortHeader key={c.sort} column={c} sort={sort} order={order} onSort={onSort} />
              ))}
              {extraHeader("Band mix", null, "text-left")}
              {extraHeader("Churn risk", "churn")}
              {extraHeader("Declining", "declining")}
              {extraHeader("Engagement", "engaged", "text-left")}
              {extraHeader("12 months", null, "pr-5 text-left")}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const checked = compare.includes(row.key);
              return (
                <tr key={row.key} data-testid={`segment-row-${row.key}`} className={`border-b border-slate-100 last:border-0 ${checked ? "bg-blue-50/50" : ""}`}>
                  <td className="py-2.5 pl-5 pr-1">
                    <input
                      type="checkbox"
                      checked={checked}
                      onChange={() => onToggle(row.key)}
                      aria-label={`Compare ${row.label}`}
                      className="size-4 rounded border-slate-300 accent-blue-600"
                    />
                  </td>
                  <th scope="row" className="max-w-[14rem] truncate px-2 py-2.5 text-left font-medium text-slate-900">
                    {row.label}
                  </th>
                  <td className="px-2 py-2.5 text-right tabular-nums" data-testid="segment-accounts">{formatCount(row.accounts)}</td>
                  <td className="px-2 py-2.5 text-right font-medium tabular-nums" data-testid="segment-mean">
                    {row.meanHundredths === null ? "—" : formatAverage(row.meanHundredths)}
                  </td>
                  <td className="px-2 py-2.5 text-right tabular-nums" data-testid="segment-median">
                    {row.medianHundredths === null ? "—" : formatAverage(row.medianHundredths)}
                  </td>
                  <td className="w-36 px-2 py-2.5">
                    <BandMixBar counts={row.bandCounts} notActiveYet={row.notActiveYet} label={`Band mix of ${row.label}`} />
                  </td>
                  <td className="px-2 py-2.5 text-right tabular-nums" data-testid="segment-churn">{formatPercent(row.churnRiskShare)}</td>
                  <td className="px-2 py-2.5 text-right tabular-nums" data-testid="segment-declining">{formatPercent(row.decliningShare)}</td>
                  <td className="w-40 px-2 py-2.5" data-testid="segment-engagement">
                    <EngagementBar index={row.engagement} compact />
                  </td>
                  <td className="py-2.5 pl-2 pr-5">
                    <Sparkline values={row.sparkline} scale={scale} markerPositions={positions} label={`Mean score of ${row.label} over 12 months`} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {/* Phones: one card per segment. */}
      <ul className="flex flex-col gap-3 md:hidden">
        {rows.map((row) => {
          const checked = compare.includes(row.key);
          return (
            <li key={row.key} data-testid={`segment-card-${row.key}`} className={`rounded-lg border p-3 ${checked ? "border-blue-300 bg-blue-50/50" : "border-slate-200"}`}>
              <div className="flex items-center justify-between gap-2">
                <label className="flex min-w-0 items-center gap-2 font-medium text-slate-900">
                  <input type="checkbox" checked={checked} onChange={() => onToggle(row.key)} className="size-4 shrink-0 accent-blue-600" />
                  <span className="truncate">{row.label}</span>
                </label>
                <span className="shrink-0 text-sm tabular-nums text-slate-500">{formatCount(row.accounts)} accounts</span>
              </div>
              <div className="mt-2">
                <BandMixBar counts={row.bandCounts} notActiveYet={row.notActiveYet} label={`Band mix of ${row.label}`} />
              </div>
              <dl className="mt-3 grid grid-cols-4 gap-2 text-center text-xs">
                {[
                  ["Mean", row.meanHundredths === null ? "—" : formatAverage(row.meanHundredths)],
                  ["Median", row.medianHundredths === null ? "—" : formatAverage(row.medianHundredths)],
                  ["Churn risk", formatPercent(row.churnRiskShare)],
                  ["Declining", formatPercent(row.decliningShare)],
                ].map(([label, value]) => (
                  <div key={label}>
                    <dt className="text-slate-500">{label}</dt>
                    <dd className="mt-0.5 text-sm font-semibold tabular-nums text-slate-900">{value}</dd>
                  </div>
                ))}
              </dl>
              <div className="mt-3 flex items-end justify-between gap-3">
                <div className="min-w-0 flex-1">
                  <p className="mb-1 text-xs text-slate-500">Engagement</p>
                  <EngagementBar index={row.engagement} compact />
                </div>
                <Sparkline values={row.sparkline} scale={scale} markerPositions={positions} width={96} label={`Mean score of ${row.label} over 12 months`} />
              </div>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

function ComparisonCard({ data, compare, markers }: { data: SegmentsData; compare: string[]; markers: MarkerSummary[] }) {
  const active = compare.length >= 2;
  const trend = useQuery({
    ...trendsQuery({ range: 365, dimension: data.dimension, segments: compare, metric: "mean" }),
    enabled: active,
    placeholderData: keepPreviousData,
  });
  const labels = new Map(data.segments.map((s) => [s.key, s.label]));
  const title = "Trend comparison";
  if (!active) {
    return (
      <Card title={title} description="Mean score over 12 months, side by side">
        <p className="rounded-lg bg-slate-50 px-4 py-6 text-center text-sm text-slate-600">
          Tick two or more segments below to see their trend lines side by side
          {compare.length === 1 ? ` (${labels.get(compare[0] ?? "") ?? "one"} is chosen)` : ""}.
        </p>
      </Card>
    );
  }
  const series = trend.data?.series ?? [];
  const lines = series.map((s, i) => ({ key: s.key, label: s.label, color: seriesColor(i) }));
  const rows: TimeSeriesRow[] = trend.data
    ? (series[0]?.mean ?? []).map((_, d) => {
        const row: TimeSeriesRow = { date: addDaysIso(trend.data?.startDate ?? "", d) };
        for (const s of series) row[s.key] = s.mean[d] ?? null;
        return row;
      })
    : [];
  const link = `/trends${toQueryString({ dimension: data.dimension, segments: compare })}`;
  return (
    <Card
      title={title}
      description="Mean score per day over 12 months; dashed rules mark changes"
      actions={
        <Link href={link} className="text-sm font-medium text-blue-700 hover:underline">
          Open in Trends →
        </Link>
      }
    >
      {trend.isPending ? (
        <LoadingBlock label="Loading the comparison" height={300} />
      ) : trend.isError ? (
        <ErrorBlock error={trend.error} onRetry={() => void trend.refetch()} />
      ) : (
        <div data-testid="segment-comparison">
          <TimeSeriesChart
            data={rows}
            lines={lines}
            markers={markers}
            valueFormatter={(v) => formatAverage(v)}
            ariaLabel={`Mean score over 12 months for ${lines.map((l) => l.label).join(", ")}`}
          />
          <ChartLegend lines={lines} markers={markers} />
        </div>
      )}
    </Card>
  );
}
