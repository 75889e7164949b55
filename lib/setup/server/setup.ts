import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { setupChecklist, type SetupChecklist, type SetupFacts } from "../checklist";

/** The facts as stored: EXISTS read as 0/1 (PostgreSQL's boolean is turned into one by CASE). */
type SetupFactsRow = Omit<SetupFacts, "hasEvents"> & { hasEvents: number };

/**
 * What the setup checklist needs to know, each an indexed count or an EXISTS: cheap enough
 * for every Admin page view, also at 20 million events.
 */
export async function getSetupFacts(db: Db): Promise<SetupFacts> {
  const row = await db.get<SetupFactsRow>(sql`SELECT
       (SELECT count(*) FROM write_keys WHERE revoked_at IS NULL) AS "activeWriteKeys",
       (SELECT count(*) FROM write_keys WHERE revoked_at IS NULL AND last_used_at IS NOT NULL) AS "usedWriteKeys",
       (SELECT count(*) FROM accounts) AS "accounts",
       CASE WHEN EXISTS (SELECT 1 FROM events) THEN 1 ELSE 0 END AS "hasEvents",
       (SELECT count(*) FROM event_types) AS "eventTypes",
       (SELECT count(*) FROM event_types WHERE active = 1 AND weight_hundredths <> 0) AS "weightedEventTypes",
       (SELECT config_version FROM scoring_settings WHERE id = 1) AS "configVersion",
       (SELECT count(*) FROM users WHERE deactivated_at IS NULL) AS "activeUsers",
       (SELECT count(*) FROM renewal_outcomes) AS "renewalOutcomes"`);
  if (!row) throw new Error("the setup facts query returned no row");
  return { ...row, hasEvents: row.hasEvents === 1 };
}

export async function getSetupChecklist(db: Db): Promise<SetupChecklist> {
  return setupChecklist(await getSetupFacts(db));
}
