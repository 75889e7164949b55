import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../api-client";

/** A write key as the admin API lists it (never the key itself). */
export interface WriteKeyRow {
  id: number;
  label: string;
  prefix: string;
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

export const writeKeysQuery = queryOptions({
  queryKey: ["admin", "write-keys"] as const,
  queryFn: async () => (await apiFetch<{ keys: WriteKeyRow[] }>("/api/admin/keys")).keys,
});
