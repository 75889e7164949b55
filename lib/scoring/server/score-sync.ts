import "server-only";
import { sql } from "drizzle-orm";
import { legacyDatabaseOn } from "@/db";
import type { Db, Tx } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { indexedBy, jsonRows } from "@/db/dialect";
import { onSqlite } from "@/db/sqlite-client";
import { todayDay } from "@/lib/days";
import type { ScoreWrite } from "@/lib/alerts/score-writes";
import { writeScoresInForceOn } from "./recompute-db";
import {
  addEventDelta,
  applyAccountDeltas,
  emptyDeltas,
  FULL_RECOMPUTE_BACKLOG,
  startsEarlier,
  touchesHistory,
  UNKNOWN_FIRST_DAY_LIMIT,
  type StoredHistory,
  type StoredScore,
  type StoredScoresExtent,
  type SyncSummary,
  type SyncWindows,
} from "./score-deltas";
import { announceScoreTransitions, recordScoreChanges, recordScoreWrites } from "./score-change-log";
import { idRows } from "./score-queries";
import { scoresInSyncSqlite, syncScoresInTransactionSqlite, syncScoresSqlite } from "./score-sync-sqlite";
import { unseenBy } from "@/db/commit-horizon";
import { anythingUnseen, currentScoreMark, followMark, loadScoreWatermark, lockScoreWriters, saveScoreWatermark, scoreWriterTransaction, type ScoreMark } from "./score-watermark";
import { loadScoringSettings, loadWeightTable } from "./settings";

/**
 * Incremental score maintenance on the data layer (docs/adr/0005-ingestion-writes-and-score-maintenance.md).
 * A score is a linear function of event counts, so the events stored since the watermark
 * change each account's current score, previous score and daily history by exactly
 * Σ weight × quantity over the days they fall on (score-deltas.ts). New accounts are computed
 * in full.
 *
 * SQLite runs its synchronous fast path (score-sync-sqlite.ts) through `onSqlite`: prepared
 * statements and no promise per row keep ingestion as fast as before. PostgreSQL runs one
 * score writer at a time across every server, each in one snapshot, and applies the events
 * and accounts that the previous writer's snapshot did not see (identity ids commit out of
 * order there: db/commit-horizon.ts, scoreWriterTransaction in score-watermark.ts).
 */
export type { SyncSummary } from "./score-deltas";
export { UNKNOWN_FIRST_DAY_LIMIT } from "./score-deltas";

/**
 * The legacy synchronous entry points (on `Database`), kept ONLY for ingestion and the CSV
 * import (lib/ingestion/server/*, lib/ingestion/server/import/*, event-type-mapping.ts), which pg-ingest
 * moves to the data layer; remove these re-exports when they call syncScores(db).
 */
export { scoresInSyncSqlite, syncScoresInTransactionSqlite, syncScoresSqlite };

async function unknownFirstDays(db: Db): Promise<number[]> {
  const rows = await db.all<Columns<typeof schema.accountScores, "accountId">>(
    sql`SELECT account_id AS "accountId" FROM account_scores ${indexedBy(db.dialect, "account_scores_first_day_unknown_idx")} WHERE first_day IS NULL
      LIMIT ${UNKNOWN_FIRST_DAY_LIMIT + 1}`,
  );
  return rows.map((r) => r.accountId);
}

/** Some accounts' first day must be computed again, few enough for the sync to do it. */
function fewUnknown(unknown: readonly number[]): boolean {
  return unknown.length > 0 && unknown.length <= UNKNOWN_FIRST_DAY_LIMIT;
}

/** Whether every committed event and account is already reflected in the scores. */
export async function scoresInSync(db: Db): Promise<boolean> {
  const onLite = onSqlite(db, (sqlite) => scoresInSyncSqlite(legacyDatabaseOn(sqlite)));
  if (onLite) return onLite;
  if (await anythingUnseen(db, await loadScoreWatermark(db))) return false;
  return !fewUnknown(await unknownFirstDays(db));
}

/** Brings the scores up to date with every committed event and account; null when they were. */
export async function syncScores(db: Db): Promise<SyncSummary | null> {
  const onLite = onSqlite(db, (sqlite) => syncScoresSqlite(legacyDatabaseOn(sqlite)));
  if (onLite) return onLite;
  if (await scoresInSync(db)) return null;
  const summary = await scoreWriterTransaction(db, (tx) => syncScoresInTransaction(tx));
  // After the commit: the alert worker of this process looks at once (a wake-up that finds
  // no transition costs one query).
  if (summary) announceScoreTransitions();
  return summary;
}

/**
 * The same inside a score writer's transaction (on PostgreSQL: scoreWriterTransaction, or one
 * that called lockScoreWriters as its first statement in repeatable read; the lock is taken
 * again here, which is harmless).
 */
export async function syncScoresInTransaction(tx: Tx): Promise<SyncSummary | null> {
  const onLite = onSqlite(tx, (sqlite) => syncScoresInTransactionSqlite(legacyDatabaseOn(sqlite)));
  if (onLite) return onLite;
  await lockScoreWriters(tx);
  const started = performance.now();
  const mark = await loadScoreWatermark(tx);
  const unknown = await unknownFirstDays(tx);
  if (!(await anythingUnseen(tx, mark)) && !fewUnknown(unknown)) return null;
  const latest = await currentScoreMark(tx);

  const settings = await loadScoringSettings(tx);
  const stored = await tx.get<StoredScoresExtent>(
    sql`SELECT max(as_of_day) AS "asOf", min(config_version) AS "minVersion", max(config_version) AS "maxVersion" FROM account_scores`,
  );
  // An estimate (ids leave gaps, and commit out of order): what decides a full recompute.
  const backlog = Math.max(0, latest.lastEventId - (mark?.lastEventId ?? 0));
  const asOf = stored?.asOf ?? null;
  // Never move the ids back (an erasure may have deleted the newest event).
  const next: ScoreMark = {
    lastEventId: Math.max(latest.lastEventId, mark?.lastEventId ?? 0),
    lastAccountId: Math.max(latest.lastAccountId, mark?.lastAccountId ?? 0),
    snapshot: latest.snapshot,
  };
  if (!mark || asOf === null || stored?.minVersion !== settings.configVersion || stored.maxVersion !== settings.configVersion || backlog > FULL_RECOMPUTE_BACKLOG) {
    const summary = await writeScoresInForceOn(tx, { asOfDay: asOf ?? todayDay() });
    await saveScoreWatermark(tx, next);
    return { mode: "full", events: backlog, accounts: summary.accounts, millis: Math.round(performance.now() - started) };
  }
  const accounts = await applyEventDeltas(tx, mark, asOf, unknown);
  await saveScoreWatermark(tx, next);
  return { mode: "incremental", events: backlog, accounts, millis: Math.round(performance.now() - started) };
}

/** The quantity of new events per account, day and type (summed). */
type NewPointsRow = Columns<typeof schema.events, "accountId" | "day" | "typeId" | "quantity">;

type StoredScoreRow = StoredScore & Columns<typeof schema.accountScores, "accountId">;
type StoredHistoryRow = StoredHistory & Columns<typeof schema.scoreHistory, "accountId">;

const UPDATE_COLUMNS = [
  { name: "account_id", type: "integer" },
  { name: "score_hundredths", type: "integer" },
  { name: "previous_hundredths", type: "integer" },
  { name: "band", type: "text" },
  { name: "previous_band", type: "text" },
  { name: "declining", type: "integer" },
  { name: "activity", type: "text" },
  { name: "previous_activity", type: "text" },
] as const;

async function applyEventDeltas(tx: Tx, mark: ScoreMark, asOf: number, unknown: readonly number[]): Promise<number> {
  const settings = await loadScoringSettings(tx);
  const windows: SyncWindows = { asOf, windowDays: settings.windowDays, compareDays: settings.compareDays, thresholds: settings.thresholds, decline: settings.decline };
  const weights = await loadWeightTable(tx);

  // Summed per (account, day, type) in the database: Σ weight × quantity is the same sum. The
  // events are those this transaction's snapshot sees and the previous writer's did not.
  const found = emptyDeltas();
  const newPoints = await tx.all<NewPointsRow>(
    sql`SELECT account_id AS "accountId", day, type_id AS "typeId", sum(quantity) AS quantity FROM events
      WHERE ${unseenBy(tx.dialect, "events", followMark(mark, "events"))} AND day <= ${asOf}
      GROUP BY account_id, day, type_id`,
  );
  for (const r of newPoints) addEventDelta(found, weights, asOf, r.accountId, r.day, r.typeId, r.quantity);

  const touched = [...found.earliest.keys()];
  const scores = new Map<number, StoredScore>();
  if (touched.length > 0) {
    const rows = await tx.all<StoredScoreRow>(
      sql`SELECT account_id AS "accountId", score_hundredths AS current, previous_hundredths AS previous, first_day AS "firstDay", activity,
          previous_activity AS "previousActivity", band, declining, config_version AS "configVersion"
        FROM account_scores WHERE account_id IN (${idRows(tx.dialect, touched)})`,
    );
    for (const { accountId, ...score } of rows) scores.set(accountId, score);
  }
  const needHistory = [...found.deltas].filter(([, perDay]) => touchesHistory(perDay, asOf)).map(([id]) => id);
  const histories = new Map<number, StoredHistory>();
  if (needHistory.length > 0) {
    const rows = await tx.all<StoredHistoryRow>(
      sql`SELECT account_id AS "accountId", start_day AS "startDay", scores FROM score_history WHERE account_id IN (${idRows(tx.dialect, needHistory)})`,
    );
    for (const { accountId, ...history } of rows) histories.set(accountId, history);
  }

  const recompute = new Set<number>(unknown.slice(0, UNKNOWN_FIRST_DAY_LIMIT));
  // Events before an account's known first day change what it is: computed in full.
  for (const accountId of touched) {
    if (!found.deltas.has(accountId) && startsEarlier(found, accountId, scores.get(accountId)?.firstDay)) recompute.add(accountId);
  }
  const updates: (string | number | null)[][] = [];
  const changed: number[] = [];
  const writes: ScoreWrite[] = [];
  let written = 0;
  for (const accountId of [...found.deltas.keys()].sort((a, b) => a - b)) {
    const perDay = found.deltas.get(accountId);
    if (!perDay || recompute.has(accountId)) continue;
    const score = scores.get(accountId);
    if (!score || startsEarlier(found, accountId, score.firstDay)) {
      recompute.add(accountId);
      continue;
    }
    const outcome = applyAccountDeltas(accountId, score, perDay, windows, touchesHistory(perDay, asOf) ? histories.get(accountId) : null);
    if (outcome.kind === "recompute") {
      recompute.add(accountId);
      continue;
    }
    if (outcome.history) await tx.run(sql`UPDATE score_history SET scores = ${outcome.history} WHERE account_id = ${accountId}`);
    const u = outcome.update;
    if (u) {
      updates.push([u.accountId, u.current, u.previous, u.band, u.previousBand, u.declining, u.activity, u.previousActivity]);
      changed.push(accountId);
    }
    if (outcome.write) writes.push(outcome.write);
    if (outcome.written) written++;
  }
  if (updates.length > 0) {
    await tx.run(
      sql`UPDATE account_scores SET score_hundredths = v.score_hundredths, previous_hundredths = v.previous_hundredths, band = v.band,
          previous_band = v.previous_band, declining = v.declining, activity = v.activity, previous_activity = v.previous_activity
        FROM (${jsonRows(tx.dialect, UPDATE_COLUMNS, updates)}) AS v WHERE account_scores.account_id = v.account_id`,
    );
  }
  await recordScoreChanges(tx, changed);
  // Alerts and the read API (ADR 0016): one statement per kind of record, in this transaction.
  await recordScoreWrites(tx, writes);

  const newAccounts = await tx.all<Columns<typeof schema.accounts, "id">>(sql`SELECT id FROM accounts WHERE ${unseenBy(tx.dialect, "accounts", followMark(mark, "accounts"))}`);
  for (const { id } of newAccounts) recompute.add(id);
  if (recompute.size > 0) await writeScoresInForceOn(tx, { asOfDay: asOf, accountIds: [...recompute].sort((a, b) => a - b) });
  return written + recompute.size;
}
