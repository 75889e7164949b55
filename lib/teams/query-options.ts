import { queryOptions } from "@tanstack/react-query";
import { apiFetchData } from "../http/api-client";
import { toQueryString, type CompareParams, type SegmentsParams, type TrendsParams } from "./params";
import type { CompareData } from "./compare/types";
import type { MarkerSummary, SegmentsData, TrendsData } from "./types";

/**
 * One queryOptions per resource of the team views. Pages prefetch the same keys on the
 * server (calling lib/teams/server directly) and hydrate; in the browser these fetch the APIs.
 */
export const teamKeys = {
  all: ["teams"] as const,
  segments: (p: Pick<SegmentsParams, "dimension">) => ["teams", "segments", p.dimension] as const,
  trends: (p: TrendsParams) => ["teams", "trends", p.range, p.dimension ?? null, p.segments ?? [], p.metric] as const,
  compare: (p: CompareParams) => ["teams", "compare", p.marker ?? null, p.window, p.dimension, p.horizon, p.cohort ?? null] as const,
  markers: ["change-markers"] as const,
};

export function segmentsQuery(p: Pick<SegmentsParams, "dimension">) {
  return queryOptions({
    queryKey: teamKeys.segments(p),
    queryFn: () => apiFetchData<SegmentsData | null>(`/api/segments${toQueryString({ dimension: p.dimension })}`),
  });
}

export function trendsQuery(p: TrendsParams) {
  return queryOptions({
    queryKey: teamKeys.trends(p),
    queryFn: () =>
      apiFetchData<TrendsData | null>(
        `/api/trends${toQueryString({ range: p.range, dimension: p.dimension, segments: p.segments, metric: p.metric })}`,
      ),
  });
}

export function compareQuery(p: CompareParams) {
  return queryOptions({
    queryKey: teamKeys.compare(p),
    queryFn: () =>
      apiFetchData<CompareData | null>(
        `/api/trends/compare${toQueryString({ marker: p.marker, window: p.window, dimension: p.dimension, horizon: p.horizon, cohort: p.cohort })}`,
      ),
  });
}

export function markersQuery() {
  return queryOptions({
    queryKey: teamKeys.markers,
    queryFn: () => apiFetchData<MarkerSummary[]>("/api/change-markers"),
  });
}
