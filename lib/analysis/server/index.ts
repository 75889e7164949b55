import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";
import { dataVersion } from "@/db/dialect";
import { isPostgresDb } from "@/db/postgres-client";
import { sqliteConnectionOf } from "@/db/sqlite-client";
import type { InsightsParams } from "@/lib/insights/params";
import { log } from "@/lib/log";
import type { ScoringConfig } from "@/lib/scoring/config";
import type { AnalysisJob, AnalysisResult } from "./jobs";
import { runAnalysisJob } from "./pool";
import { SharedResults, type ResultVersions, type SharedResult } from "./shared-results";

/**
 * The expensive analyses as the routes and pages ask for them: computed once per input in an
 * analysis worker, shared while they run, and cached until the data they read changes
 * (./shared-results.ts; docs/adr/0010-requests-that-cannot-stall-the-server.md).
 */

/** Under a steady stream of events, an analysis is recomputed at most this often. */
export const REFRESH_AFTER_MS = 30_000;

const globalForResults = globalThis as unknown as { cesAnalysisResults?: SharedResults<unknown> };

function results(): SharedResults<unknown> {
  globalForResults.cesAnalysisResults ??= new SharedResults<unknown>({
    refreshAfterMs: REFRESH_AFTER_MS,
    maxEntries: 64,
    onRefreshError: (key, error) => log.error("analysis: refreshing a result failed; the previous result is still served", { component: "analysis", analysis: key, err: error }),
  });
  return globalForResults.cesAnalysisResults;
}

interface HardMemo {
  soft: string;
  withOutcomes: boolean;
  hard: string;
}

const globalForVersions = globalThis as unknown as { cesHardVersions?: Map<string, HardMemo[]> };

/** The outcomes' fingerprint: any added, removed or corrected outcome changes it. */
interface OutcomesRow {
  n: number;
  last: Column<typeof schema.renewalOutcomes, "id"> | null;
  changed: Column<typeof schema.renewalOutcomes, "updatedAt"> | null;
}

/** The scores' day (null: nothing scored yet) and the scoring configuration's version. */
interface HardVersionRow {
  asOfDay: Column<typeof schema.accountScores, "asOfDay"> | null;
  config: Column<typeof schema.scoringSettings, "configVersion"> | null;
}

async function readHardVersion(db: Db, withOutcomes: boolean): Promise<string> {
  // Every row carries the same as-of day (scores move to a new day in one transaction): one row says it.
  const row = await db.get<HardVersionRow>(
    sql`SELECT (SELECT as_of_day FROM account_scores LIMIT 1) AS "asOfDay", (SELECT config_version FROM scoring_settings WHERE id = 1) AS config`,
  );
  let hard = `${row?.asOfDay ?? "none"}|${row?.config ?? 0}`;
  if (withOutcomes) {
    const o = await db.get<OutcomesRow>(sql`SELECT count(*) AS n, max(id) AS last, max(updated_at) AS changed FROM renewal_outcomes`);
    hard += `|${o?.n ?? 0}:${o?.last ?? 0}:${o?.changed ?? 0}`;
  }
  return hard;
}

/** Which database a handle reaches, as a key (results and versions are kept per database). */
function databaseKey(db: Db): string {
  const sqlite = sqliteConnectionOf(db);
  if (sqlite) return `sqlite:${sqlite.name}`;
  return isPostgresDb(db) ? `postgres:${db.url}` : "transaction";
}

/**
 * Soft: anything written (db/dialect.ts dataVersion: SQLite's own counters, PostgreSQL's
 * snapshot; one cheap query). Hard: what makes a result wrong rather than a little old: the
 * day the scores are for, the scoring configuration, and for the Insights analyses the
 * renewal outcomes; read again only when something was written.
 */
async function versions(db: Db, withOutcomes: boolean): Promise<ResultVersions> {
  const soft = (await db.value<string>(dataVersion(db.dialect))) ?? "";
  const memos = (globalForVersions.cesHardVersions ??= new Map<string, HardMemo[]>());
  const key = databaseKey(db);
  const list = memos.get(key) ?? [];
  const memo = list.find((m) => m.withOutcomes === withOutcomes);
  if (memo?.soft === soft) return { hard: memo.hard, soft };
  const hard = await readHardVersion(db, withOutcomes);
  memos.set(key, [...list.filter((m) => m.withOutcomes !== withOutcomes), { soft, withOutcomes, hard }]);
  return { hard, soft };
}

async function shared<J extends AnalysisJob>(db: Db, key: string, job: J, withOutcomes: boolean): Promise<SharedResult<AnalysisResult<J>>> {
  return results().get(`${databaseKey(db)}|${key}`, await versions(db, withOutcomes), () => runAnalysisJob(db, job)) as Promise<SharedResult<AnalysisResult<J>>>;
}

function paramsKey(params: InsightsParams): string {
  return `${params.from ?? ""}:${params.to ?? ""}:${params.lead}`;
}

/** The Insights page's validation (rates by tier, ranking, calibration); null before anything was scored. */
export function sharedValidation(db: Db, params: InsightsParams) {
  return shared(db, `validation:${paramsKey(params)}`, { kind: "validation", params }, true);
}

/** The suggested weights (a cross-validated fit); null before anything was scored. */
export function sharedSuggestion(db: Db, params: InsightsParams) {
  return shared(db, `suggestion:${paramsKey(params)}`, { kind: "suggestion", params }, true);
}

/** What an edited scoring configuration would do to every account. */
export function sharedPreview(db: Db, config: ScoringConfig) {
  const digest = createHash("sha256").update(JSON.stringify(config)).digest("base64url");
  return shared(db, `preview:${digest}`, { kind: "preview", config }, false);
}
