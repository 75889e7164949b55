import "server-only";
import type { Db } from "@/db/client";
import { isoDateFromDay } from "@/lib/days";
import type { ScoringConfig } from "../config";
import { heldTypeSuggestions } from "@/lib/ingestion/server/event-type-mapping";
import { recomputeJobState, type RecomputeJobState } from "./recompute-job";
import { eventTypesWithStats, loadConfigInForce, loadPendingConfigVersion, scoresAsOfDay, type EventTypeStats } from "./scoring-config";

/** Everything the weights editor starts from. */
export interface ScoringAdminView {
  version: number;
  config: ScoringConfig;
  types: EventTypeStats[];
  asOfDate: string;
  pendingVersion: number | null;
  job: RecomputeJobState;
  /** Held event types (lib/ingestion/event-names.ts) by id: the ids of the types each may mean. */
  suggestions: Record<number, number[]>;
}

export async function getScoringAdminView(db: Db): Promise<ScoringAdminView> {
  const { version, ...config } = await loadConfigInForce(db);
  return {
    version,
    config,
    types: await eventTypesWithStats(db),
    asOfDate: isoDateFromDay(await scoresAsOfDay(db)),
    pendingVersion: (await loadPendingConfigVersion(db))?.id ?? null,
    job: recomputeJobState(),
    suggestions: Object.fromEntries(await heldTypeSuggestions(db)),
  };
}
