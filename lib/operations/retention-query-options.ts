import { queryOptions } from "@tanstack/react-query";
import type { RetentionJobState, RetentionOverview } from "./server/admin";
import { apiFetchData } from "../http/api-client";

export type { RetentionJobState, RetentionOverview };

export const retentionQuery = queryOptions({
  queryKey: ["admin", "retention"] as const,
  queryFn: () => apiFetchData<RetentionOverview>("/api/admin/retention"),
});

/** The running or last retention run; polled every second while it runs. */
export const retentionRunQuery = queryOptions({
  queryKey: ["admin", "retention", "run"] as const,
  queryFn: () => apiFetchData<RetentionJobState | null>("/api/admin/retention/run"),
  refetchInterval: (query) => (query.state.data?.status === "running" ? 1000 : false),
});
