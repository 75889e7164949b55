import { queryOptions } from "@tanstack/react-query";
import { apiFetchData } from "../http/api-client";
import { toQueryString } from "../teams/params";
import type { InsightsParams } from "./params";
import type { SuggestionData } from "./types";
import type { ValidationData } from "./validation";

/**
 * The validation page's resources. The page prefetches the validation on the server (calling
 * lib/insights/server directly) and hydrates; the suggested weights, a cross-validated fit, load in the
 * browser so the page never waits for them.
 */
export const insightsKeys = {
  all: ["insights"] as const,
  validation: (p: InsightsParams) => ["insights", "validation", p.from ?? null, p.to ?? null, p.lead] as const,
  suggestion: (p: InsightsParams) => ["insights", "suggestion", p.from ?? null, p.to ?? null, p.lead] as const,
};

function query(p: InsightsParams): string {
  return toQueryString({ from: p.from, to: p.to, lead: p.lead });
}

export function validationQuery(p: InsightsParams) {
  return queryOptions({
    queryKey: insightsKeys.validation(p),
    queryFn: () => apiFetchData<ValidationData | null>(`/api/insights${query(p)}`),
  });
}

export function suggestionQuery(p: InsightsParams) {
  return queryOptions({
    queryKey: insightsKeys.suggestion(p),
    queryFn: () => apiFetchData<SuggestionData | null>(`/api/insights/suggestion${query(p)}`),
    // A fit is worth keeping: the same period does not need another one for a while.
    staleTime: 5 * 60_000,
  });
}
