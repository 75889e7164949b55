import "server-only";
import type { Db } from "@/db/client";
import type { InsightsParams } from "@/lib/insights/params";
import type { SuggestionData } from "@/lib/insights/types";
import type { ValidationData } from "@/lib/insights/validation";
import type { ScoringConfig } from "@/lib/scoring/config";
import { getSuggestion, getValidation } from "@/lib/insights/server/insights";
import { loadScoringPreview, type ScoringPreview } from "@/lib/scoring/server/scoring-config";

/**
 * The analyses that take more than a moment at scale (seconds for the suggested-weights fit
 * at 50,000 accounts): what each computes, from a database connection. They run in an
 * analysis worker (./worker.ts) with its own connection (read-only on SQLite), off the thread that answers
 * requests; ./index.ts shares their results.
 */
export type AnalysisJob =
  | { kind: "validation"; params: InsightsParams }
  | { kind: "suggestion"; params: InsightsParams }
  | { kind: "preview"; config: ScoringConfig };

export interface AnalysisResults {
  validation: ValidationData | null;
  suggestion: SuggestionData | null;
  preview: ScoringPreview;
}

export type AnalysisResult<J extends AnalysisJob> = AnalysisResults[J["kind"]];

export async function runAnalysis(db: Db, job: AnalysisJob): Promise<AnalysisResults[AnalysisJob["kind"]]> {
  switch (job.kind) {
    case "validation":
      return getValidation(db, job.params);
    case "suggestion":
      return getSuggestion(db, job.params);
    case "preview":
      return loadScoringPreview(db, job.config);
  }
}
