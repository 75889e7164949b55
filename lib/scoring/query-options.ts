import { queryOptions } from "@tanstack/react-query";
import type { ScoringConfig } from "./config";
import type { MappingResult } from "../ingestion/server/event-type-mapping";
import type { RecomputeJobState } from "./server/recompute-job";
import type { ScoringAdminView } from "./server/scoring-admin";
import type { ConfigVersionView, ScoringPreview } from "./server/scoring-config";
import { apiFetch } from "../http/api-client";

/** Query keys of the scoring configuration resources. */
export const scoringKeys = {
  all: ["scoring"] as const,
  view: () => [...scoringKeys.all, "view"] as const,
  job: () => [...scoringKeys.all, "job"] as const,
  versions: () => [...scoringKeys.all, "versions"] as const,
};

export const scoringViewQuery = () =>
  queryOptions({ queryKey: scoringKeys.view(), queryFn: () => apiFetch<ScoringAdminView>("/api/admin/scoring") });

export const recomputeJobQuery = () =>
  queryOptions({
    queryKey: scoringKeys.job(),
    queryFn: () => apiFetch<RecomputeJobState>("/api/admin/scoring/job"),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 1000 : false),
  });

export const configVersionsQuery = () =>
  queryOptions({
    queryKey: scoringKeys.versions(),
    queryFn: async () => (await apiFetch<{ versions: ConfigVersionView[] }>("/api/admin/scoring/versions")).versions,
  });

export function previewScoring(config: ScoringConfig): Promise<ScoringPreview> {
  return apiFetch<ScoringPreview>("/api/admin/scoring/preview", { method: "POST", body: JSON.stringify(config) });
}

export function saveScoring(config: ScoringConfig, reason: string): Promise<{ versionId: number; job: RecomputeJobState }> {
  return apiFetch("/api/admin/scoring", { method: "POST", body: JSON.stringify({ config, reason }) });
}

export function restoreVersion(id: number): Promise<{ versionId: number }> {
  return apiFetch(`/api/admin/scoring/versions/${id}/restore`, { method: "POST" });
}

export function createEventType(input: { key: string; label: string; description: string }): Promise<{ id: number }> {
  return apiFetch("/api/admin/event-types", { method: "POST", body: JSON.stringify(input) });
}

export function updateEventType(id: number, patch: { label?: string; description?: string }): Promise<{ id: number }> {
  return apiFetch(`/api/admin/event-types/${id}`, { method: "PATCH", body: JSON.stringify(patch) });
}

export function deleteEventType(id: number): Promise<void> {
  return apiFetch(`/api/admin/event-types/${id}`, { method: "DELETE" });
}

/** Maps a held event type to an existing one (its counts move there). */
export function mapEventType(id: number, targetId: number): Promise<MappingResult> {
  return apiFetch(`/api/admin/event-types/${id}/map`, { method: "POST", body: JSON.stringify({ targetId }) });
}

/** Keeps a held event type as a type of its own. */
export function keepEventType(id: number): Promise<{ id: number }> {
  return apiFetch(`/api/admin/event-types/${id}/keep`, { method: "POST" });
}
