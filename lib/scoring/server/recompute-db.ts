import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { legacyDatabaseOn } from "@/db";
import type { Db, Dialect, Tx } from "@/db/client";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";
import { jsonRows } from "@/db/dialect";
import { onSqlite } from "@/db/sqlite-client";
import { todayDay, type DayNumber } from "@/lib/days";
import type { ScoreWrite, StoredStanding } from "@/lib/alerts/score-writes";
import {
  HISTORY_DAYS,
  pointSpan,
  recomputeAllScores,
  refreshAccountScores,
  scoreRowsOfChunk,
  summaryOf,
  type AccountToScore,
  type RecomputeSummary,
  type ScoreRow,
  type ScoringRun,
  type StoredScoreRow,
} from "./recompute";
import { announceScoreTransitions, recordScoreChanges, recordScoreWrites } from "./score-change-log";
import { syncScoresInTransaction } from "./score-sync";
import { idRows, loadDailyPoints, loadFirstEventDaysBefore } from "./score-queries";
import { currentScoreMark, saveScoreWatermark, scoreWriterTransaction } from "./score-watermark";
import { loadScoringSettings, loadWeightTable } from "./settings";

/*
 * The recompute on the data layer (db/client.ts): what recompute.ts does on the legacy
 * synchronous SQLite connection, for either database. SQLite keeps its synchronous path (one
 * IMMEDIATE transaction, prepared statements read day by day from the day-first rollups,
 * ADR 0005 and 0019) through `onSqlite`; PostgreSQL reads each chunk's points in one statement
 * and writes each chunk with one statement per table. The arithmetic is shared
 * (scoreRowsOfChunk, lib/scoring/*).
 */

/** Accounts computed per step (as recompute.ts). */
const CHUNK = 1000;

/** A run with the configuration in force. */
export async function loadScoringRun(db: Db, asOfDay: DayNumber, historyDays = HISTORY_DAYS): Promise<ScoringRun> {
  const s = await loadScoringSettings(db);
  return {
    asOfDay,
    historyDays,
    windowDays: s.windowDays,
    compareDays: s.compareDays,
    thresholds: s.thresholds,
    decline: s.decline,
    weights: await loadWeightTable(db),
    configVersion: s.configVersion,
  };
}

async function accountsToScore(db: Db, only?: readonly number[]): Promise<AccountToScore[]> {
  const only_ = only ? sql`WHERE id IN (${idRows(db.dialect, only)})` : sql``;
  return db.all<AccountToScore>(sql`SELECT id, signup_date AS "signupDate", created_at AS "createdAt" FROM accounts ${only_} ORDER BY id`);
}

/** computeScoreRows (recompute.ts) on the data layer: reads only, chunk by chunk. */
export async function* computeScoreRowsOn(db: Db, run: ScoringRun, only?: readonly number[]): AsyncGenerator<ScoreRow[]> {
  const accounts = await accountsToScore(db, only);
  const { pointsFrom, span } = pointSpan(run);
  const firstId = accounts[0]?.id;
  const lastId = accounts.at(-1)?.id;
  if (firstId === undefined || lastId === undefined) return;
  const olderFirstEvents = await loadFirstEventDaysBefore(db, {
    fromAccountId: firstId,
    toAccountId: lastId,
    accountIds: only ? accounts.map((a) => a.id) : undefined,
    beforeDay: pointsFrom,
  });
  for (let start = 0; start < accounts.length; start += CHUNK) {
    const chunk = accounts.slice(start, start + CHUNK);
    const first = chunk[0]?.id;
    const last = chunk.at(-1)?.id;
    if (first === undefined || last === undefined) continue;
    const slot = new Map(chunk.map((a, i) => [a.id, i]));
    const points = new Float64Array(chunk.length * span);
    const scored = new Uint8Array(chunk.length * span);
    const firstEventDay = new Float64Array(chunk.length).fill(Number.NaN);
    await loadDailyPoints(
      db,
      { fromAccountId: first, toAccountId: last, accountIds: only ? chunk.map((a) => a.id) : undefined, fromDay: pointsFrom, toDay: run.asOfDay, weights: run.weights },
      (accountId, day, p, anyScored) => {
        const i = slot.get(accountId);
        if (i === undefined) return;
        points[i * span + day - pointsFrom] = p;
        if (anyScored) scored[i * span + day - pointsFrom] = 1;
        // Rows come in ascending day order: the first one seen is the earliest in the span.
        if (Number.isNaN(firstEventDay[i])) firstEventDay[i] = day;
      },
    );
    yield scoreRowsOfChunk(run, chunk, { pointsFrom, span, points, scored, firstEventDay, olderFirstEvents });
  }
}

async function storedStandings(tx: Tx, accountIds: readonly number[]): Promise<Map<number, StoredStanding>> {
  const rows = await tx.all<StoredScoreRow>(
    sql`SELECT account_id AS "accountId", band, declining, activity, previous_activity AS "previousActivity", score_hundredths AS "scoreHundredths",
      config_version AS "configVersion" FROM account_scores WHERE account_id IN (${idRows(tx.dialect, accountIds)})`,
  );
  return new Map(rows.map((r) => [r.accountId, { ...r, declining: r.declining === 1 }]));
}

const SCORE_COLUMNS = [
  { name: "account_id", type: "integer" },
  { name: "score_hundredths", type: "integer" },
  { name: "previous_hundredths", type: "integer" },
  { name: "band", type: "text" },
  { name: "previous_band", type: "text" },
  { name: "declining", type: "integer" },
  { name: "first_day", type: "integer" },
  { name: "activity", type: "text" },
  { name: "previous_activity", type: "text" },
  { name: "history", type: "text" },
] as const;

/** A blob from its hexadecimal text. */
function fromHex(dialect: Dialect, hex: SQL): SQL {
  return dialect === "sqlite" ? sql`unhex(${hex})` : sql`decode(${hex}, 'hex')`;
}

/**
 * writeScoreRows (recompute.ts) on the data layer, inside the writer's transaction (which
 * holds lockScoreWriters): one statement per table for the chunk, and what changed logged in
 * the same transaction (aggregate_changes; transitions, configuration summaries and score
 * changes for alerts and the read API). Returns whether the alert worker must be told after
 * the commit.
 */
export async function writeScoreRowsOn(tx: Tx, run: ScoringRun, rows: readonly ScoreRow[]): Promise<boolean> {
  if (rows.length === 0) return false;
  const ids = rows.map((r) => r.accountId);
  const before = await storedStandings(tx, ids);
  const values = jsonRows(
    tx.dialect,
    SCORE_COLUMNS,
    rows.map((r) => [
      r.accountId,
      r.current,
      r.previous,
      r.band,
      r.previousBand,
      r.declining ? 1 : 0,
      r.firstDay,
      r.activity,
      r.previousActivity,
      r.history.toString("hex"),
    ]),
  );
  // "WHERE true": SQLite would otherwise read the upsert's ON as a join constraint of the SELECT.
  await tx.run(
    sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version,
        first_day, activity, previous_activity)
      SELECT account_id, ${run.asOfDay}, score_hundredths, previous_hundredths, band, previous_band, declining, ${run.configVersion},
        first_day, activity, previous_activity FROM (${values}) AS v WHERE true
      ON CONFLICT (account_id) DO UPDATE SET as_of_day = excluded.as_of_day, score_hundredths = excluded.score_hundredths,
        previous_hundredths = excluded.previous_hundredths, band = excluded.band, previous_band = excluded.previous_band,
        declining = excluded.declining, config_version = excluded.config_version, first_day = excluded.first_day,
        activity = excluded.activity, previous_activity = excluded.previous_activity`,
  );
  const historyFrom = run.asOfDay - run.historyDays + 1;
  await tx.run(
    sql`INSERT INTO score_history (account_id, start_day, scores, config_version)
      SELECT account_id, ${historyFrom}, ${fromHex(tx.dialect, sql`history`)}, ${run.configVersion} FROM (${values}) AS v WHERE true
      ON CONFLICT (account_id) DO UPDATE SET start_day = excluded.start_day, scores = excluded.scores, config_version = excluded.config_version`,
  );
  const writes: ScoreWrite[] = rows.map((row) => ({
    accountId: row.accountId,
    before: before.get(row.accountId) ?? null,
    after: {
      band: row.band,
      declining: row.declining,
      activity: row.activity,
      previousActivity: row.previousActivity,
      scoreHundredths: row.current,
      configVersion: run.configVersion,
    },
  }));
  await recordScoreChanges(tx, ids);
  const log = await recordScoreWrites(tx, writes);
  return log.transitions.length > 0 || log.configurationChanges.length > 0;
}

/**
 * writeScoresInForce (recompute.ts) on the data layer: computes and writes the given
 * accounts' (default: all) scores with the configuration in force, inside the caller's
 * transaction (a score writer's, scoreWriterTransaction, which keeps the watermark in step).
 */
export async function writeScoresInForceOn(
  tx: Tx,
  params: { asOfDay: DayNumber; historyDays?: number; accountIds?: readonly number[] },
): Promise<RecomputeSummary & { announce: boolean }> {
  const started = performance.now();
  const run = await loadScoringRun(tx, params.asOfDay, params.historyDays);
  let accounts = 0;
  let announce = false;
  for await (const rows of computeScoreRowsOn(tx, run, params.accountIds)) {
    if (await writeScoreRowsOn(tx, run, rows)) announce = true;
    accounts += rows.length;
  }
  return { ...summaryOf(run, accounts, started), announce };
}

/**
 * recomputeAllScores on either database: every account's scores and history with the
 * configuration in force, in ONE transaction that also moves the score watermark to the
 * newest event (readers see the old scores or the new ones, never a mix). For seeding, tests
 * and scripts; configuration changes go through the recompute job.
 */
export async function recomputeScores(db: Db, params: { asOfDay: DayNumber; historyDays?: number }): Promise<RecomputeSummary> {
  const onLite = onSqlite(db, (sqlite) => recomputeAllScores(legacyDatabaseOn(sqlite), params));
  if (onLite) return onLite;
  const { announce, ...summary } = await scoreWriterTransaction(db, async (tx) => {
    const written = await writeScoresInForceOn(tx, params);
    await saveScoreWatermark(tx, await currentScoreMark(tx));
    return written;
  });
  if (announce) announceScoreTransitions();
  return summary;
}

/**
 * refreshAccountScores on either database: the given accounts' scores recomputed (after their
 * events were erased, or new ones arrived) as of the day the stored scores are for, after
 * every pending score change is applied (so the events read are never added again by a later
 * sync).
 */
export async function refreshScoresOf(db: Db, accountIds: readonly number[]): Promise<RecomputeSummary | null> {
  if (accountIds.length === 0) return null;
  const onLite = onSqlite(db, (sqlite) => refreshAccountScores(legacyDatabaseOn(sqlite), accountIds));
  if (onLite) return onLite;
  const { announce, ...summary } = await scoreWriterTransaction(db, async (tx) => {
    const synced = await syncScoresInTransaction(tx);
    const storedAsOf = await tx.value<Column<typeof schema.accountScores, "asOfDay"> | null>(sql`SELECT max(as_of_day) FROM account_scores`);
    const written = await writeScoresInForceOn(tx, { asOfDay: storedAsOf ?? todayDay(), accountIds });
    return { ...written, announce: written.announce || synced !== null };
  });
  if (announce) announceScoreTransitions();
  return summary;
}
