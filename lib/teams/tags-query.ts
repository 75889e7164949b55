import { queryOptions } from "@tanstack/react-query";
import { apiFetchData } from "../http/api-client";
import type { TagsOverview } from "./tags";

export const tagsKey = ["admin", "tags"] as const;

export function tagsQuery() {
  return queryOptions({ queryKey: tagsKey, queryFn: () => apiFetchData<TagsOverview>("/api/admin/tags") });
}
