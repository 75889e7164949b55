import type { LeadDays } from "./params";
import type { Suggestion } from "./suggest";

/** GET /api/insights/suggestion: the suggestion with the period it was fitted on. */
export interface SuggestionData {
  from: string;
  to: string;
  lead: LeadDays;
  windowDays: number;
  /** Scored renewals the fit used. */
  renewals: number;
  suggestion: Suggestion;
}
