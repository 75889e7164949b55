import "server-only";
import { createHash } from "node:crypto";
import type { Database } from "@/db";
import type { InsightsParams } from "@/lib/insights/params";
import { log } from "@/lib/log";
import type { ScoringConfig } from "@/lib/scoring/config";
import { cachedStatement } from "../query-cache";
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

function readHardVersion(db: Database, withOutcomes: boolean): string {
  // Every row carries the same as-of day (scores move to a new day in one transaction): one row says it.
  const asOfDay = cachedStatement(db, "SELECT as_of_day FROM account_scores LIMIT 1", { pluck: true }).get() as number | undefined;
  const config = cachedStatement(db, "SELECT config_version FROM scoring_settings WHERE id = 1", { pluck: true }).get() as number | undefined;
  let hard = `${asOfDay ?? "none"}|${config ?? 0}`;
  if (withOutcomes) {
    const o = cachedStatement(db, "SELECT count(*) AS n, max(id) AS last, max(updated_at) AS changed FROM renewal_outcomes").get() as { n: number; last: number | null; changed: number | null };
    hard += `|${o.n}:${o.last ?? 0}:${o.changed ?? 0}`;
  }
  return hard;
}

/**
 * Soft: anything written (SQLite's own counters, microseconds to read). Hard: what makes a
 * result wrong rather than a little old: the day the scores are for, the scoring
 * configuration, and for the Insights analyses the renewal outcomes; read again only when
 * something was written.
 */
function versions(db: Database, withOutcomes: boolean): ResultVersions {
  const soft = `${db.sqlite.pragma("data_version", { simple: true }) as number}:${cachedStatement(db, "SELECT total_changes()", { pluck: true }).get() as number}`;
  const memos = (globalForVersions.cesHardVersions ??= new Map<string, HardMemo[]>());
  const list = memos.get(db.file) ?? [];
  const memo = list.find((m) => m.withOutcomes === withOutcomes);
  if (memo?.soft === soft) return { hard: memo.hard, soft };
  const hard = readHardVersion(db, withOutcomes);
  memos.set(db.file, [...list.filter((m) => m.withOutcomes !== withOutcomes), { soft, withOutcomes, hard }]);
  return { hard, soft };
}

function shared<J extends AnalysisJob>(db: Database, key: string, job: J, withOutcomes: boolean): Promise<SharedResult<AnalysisResult<J>>> {
  return results().get(`${db.file}|${key}`, versions(db, withOutcomes), () => runAnalysisJob(db, job)) as Promise<SharedResult<AnalysisResult<J>>>;
}

function paramsKey(params: InsightsParams): string {
  return `${params.from ?? ""}:${params.to ?? ""}:${params.lead}`;
}

/** The Insights page's validation (rates by tier, ranking, calibration); null before anything was scored. */
export function sharedValidation(db: Database, params: InsightsParams) {
  return shared(db, `validation:${paramsKey(params)}`, { kind: "validation", params }, true);
}

/** The suggested weights (a cross-validated fit); null before anything was scored. */
export function sharedSuggestion(db: Database, params: InsightsParams) {
  return shared(db, `suggestion:${paramsKey(params)}`, { kind: "suggestion", params }, true);
}

/** What an edited scoring configuration would do to every account. */
export function sharedPreview(db: Database, config: ScoringConfig) {
  const digest = createHash("sha256").update(JSON.stringify(config)).digest("base64url");
  return shared(db, `preview:${digest}`, { kind: "preview", config }, false);
}
