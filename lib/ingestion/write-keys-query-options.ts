import { queryOptions } from "@tanstack/react-query";
import type { WriteKeySummary } from "./server/write-keys";
import { apiFetch } from "../http/api-client";

/** A write key as the admin API lists it (never the key itself). */
export type WriteKeyRow = WriteKeySummary;

export const writeKeysQuery = queryOptions({
  queryKey: ["admin", "write-keys"] as const,
  queryFn: async () => (await apiFetch<{ keys: WriteKeyRow[] }>("/api/admin/keys")).keys,
});
