import "server-only";
import type { Database } from "@/db";
import { setupChecklist, type SetupChecklist, type SetupFacts } from "../setup/checklist";
import { cachedStatement } from "./query-cache";

/**
 * What the setup checklist needs to know, each an indexed count or an EXISTS: cheap enough
 * for every Admin page view, also at 20 million events.
 */
export function getSetupFacts(db: Database): SetupFacts {
  const row = cachedStatement(
    db,
    `SELECT
       (SELECT count(*) FROM write_keys WHERE revoked_at IS NULL) AS activeWriteKeys,
       (SELECT count(*) FROM write_keys WHERE revoked_at IS NULL AND last_used_at IS NOT NULL) AS usedWriteKeys,
       (SELECT count(*) FROM accounts) AS accounts,
       EXISTS (SELECT 1 FROM events) AS hasEvents,
       (SELECT count(*) FROM event_types) AS eventTypes,
       (SELECT count(*) FROM event_types WHERE active = 1 AND weight_hundredths <> 0) AS weightedEventTypes,
       (SELECT config_version FROM scoring_settings WHERE id = 1) AS configVersion,
       (SELECT count(*) FROM users WHERE deactivated_at IS NULL) AS activeUsers,
       (SELECT count(*) FROM renewal_outcomes) AS renewalOutcomes`,
  ).get() as Omit<SetupFacts, "hasEvents"> & { hasEvents: number };
  return { ...row, hasEvents: row.hasEvents === 1 };
}

export function getSetupChecklist(db: Database): SetupChecklist {
  return setupChecklist(getSetupFacts(db));
}
