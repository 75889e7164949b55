import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";
import type { ErasureRequest } from "@/lib/operations/erasure";
import { RETENTION_ALREADY_RUNNING, retentionEffectSentence } from "@/lib/operations/retention";
import type { AuditActor } from "./audit";
import { forgetIngestionIds } from "@/lib/ingestion/server/writer";
import { refreshScoresOf } from "@/lib/scoring/server/recompute-db";
import { HttpError } from "@/lib/http/server/http";
import { eraseAccount, eraseEndUser } from "./erasure";
import { getRetentionSettings, previewRetention } from "./retention";
import { retentionJobState, startRetentionJob, type RetentionJobParams, type RetentionJobState, type RetentionRunResult } from "./retention-job";

/**
 * What the admin's "Data retention & deletion" page and its APIs do, on top of the data-layer
 * functions: the retention page's state, running the job now, and an erasure followed by the
 * score recompute of the accounts it touched.
 */
export type { RetentionJobState };

export interface RetentionOverview {
  rawEventMonths: number | null;
  updatedAt: number | null;
  updatedBy: string | null;
  effect: Awaited<ReturnType<typeof previewRetention>> & { sentence: string };
  /** The running or last run, with its progress. */
  lastRun: RetentionJobState | null;
}

export async function retentionPreview(db: Db, months: number | null) {
  const effect = await previewRetention(db, { months });
  return { ...effect, sentence: retentionEffectSentence(effect) };
}

export async function retentionOverview(db: Db): Promise<RetentionOverview> {
  const settings = await getRetentionSettings(db);
  return {
    ...settings,
    effect: await retentionPreview(db, settings.rawEventMonths),
    lastRun: await retentionJobState(db),
  };
}

/**
 * "Apply now": starts the retention job in the background and answers with its state as soon
 * as it runs (deleting millions of events takes minutes; the admin polls its progress).
 * 409 when a run is already going, here or on another server. `finished` is the run's end
 * (what it deleted, or null when it failed), for a caller in this process that waits for it.
 */
export async function runRetentionNow(db: Db, params: RetentionJobParams = {}): Promise<{ state: RetentionJobState; finished: Promise<RetentionRunResult | null> }> {
  const start = await startRetentionJob(db, params);
  if (!start.started) throw new HttpError(409, "already_running", RETENTION_ALREADY_RUNNING);
  const state = await retentionJobState(db);
  if (!state) throw new Error("the retention run started but job_runs has no row for it");
  return { state, finished: start.finished };
}

export type ErasureResult =
  | { kind: "end_user"; events: number; pendingEvents: number; links: number; messages: number; accountsRecomputed: number }
  | { kind: "account"; externalId: string; events: number; rollups: number; links: number; messages: number; contacts: number; notes: number; outcomes: number };

/** Erases what the request names and brings the scores up to date. */
export async function eraseAndRecompute(db: Db, actor: AuditActor, request: ErasureRequest): Promise<ErasureResult> {
  if (request.kind === "end_user") {
    const erased = await eraseEndUser(db, actor, request.userId);
    await refreshScoresOf(db, erased.accountIds);
    return { kind: "end_user", events: erased.events, pendingEvents: erased.pendingEvents, links: erased.links, messages: erased.messages, accountsRecomputed: erased.accountIds.length };
  }
  const id = await db.value<Column<typeof schema.accounts, "id">>(sql`SELECT id FROM accounts WHERE external_id = ${request.externalId}`);
  if (id === undefined) throw new HttpError(404, "not_found", `There is no account with external id "${request.externalId}".`, "externalId");
  const erased = await eraseAccount(db, actor, id);
  if (!erased) throw new HttpError(404, "not_found", `There is no account with external id "${request.externalId}".`, "externalId");
  forgetIngestionIds();
  const { accountId: _id, ...counts } = erased;
  return { kind: "account", externalId: request.externalId, ...counts };
}
