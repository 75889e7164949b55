import { queryOptions } from "@tanstack/react-query";
import type { RetentionOverview } from "./server/admin";
import { apiFetchData } from "../http/api-client";

export type { RetentionOverview };

export const retentionQuery = queryOptions({
  queryKey: ["admin", "retention"] as const,
  queryFn: () => apiFetchData<RetentionOverview>("/api/admin/retention"),
});
