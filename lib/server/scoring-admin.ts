import "server-only";
import type { Database } from "@/db";
import { isoDateFromDay } from "../days";
import type { ScoringConfig } from "../scoring/config";
import { heldTypeSuggestions } from "./event-type-mapping";
import { recomputeJobState, type RecomputeJobState } from "./recompute-job";
import { configInForce, eventTypesWithStats, pendingConfigVersion, scoresAsOfDay, type EventTypeStats } from "./scoring-config";

/** Everything the weights editor starts from. */
export interface ScoringAdminView {
  version: number;
  config: ScoringConfig;
  types: EventTypeStats[];
  asOfDate: string;
  pendingVersion: number | null;
  job: RecomputeJobState;
  /** Held event types (lib/ingest/event-names.ts) by id: the ids of the types each may mean. */
  suggestions: Record<number, number[]>;
}

export function getScoringAdminView(db: Database): ScoringAdminView {
  const { version, ...config } = configInForce(db);
  return {
    version,
    config,
    types: eventTypesWithStats(db),
    asOfDate: isoDateFromDay(scoresAsOfDay(db)),
    pendingVersion: pendingConfigVersion(db)?.id ?? null,
    job: recomputeJobState(),
    suggestions: Object.fromEntries(heldTypeSuggestions(db)),
  };
}
