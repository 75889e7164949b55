import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { Database } from "@/db";
import type { Db, Dialect } from "@/db/client";
import { jsonRows } from "@/db/dialect";
import { classifyScoreWrites, type ScoreWrite, type ScoreWriteLog } from "@/lib/alerts/score-writes";
import { cachedStatement } from "@/db/query-cache";
import { announceScoreTransitions } from "./score-transition-signal";

export { announceScoreTransitions };

/**
 * Tells the team views' cache which accounts' scores changed (the `aggregate_changes` log,
 * docs/adr/0004-team-views-in-memory-pre-aggregation.md): one statement for every account a
 * write touched. A trigger did this per updated row; under ingestion, where each synced event
 * moves one account's score, the trigger cost about as much as the update itself
 * (docs/adr/0019-day-first-event-storage.md). Call in the transaction that changed the scores.
 */
export function logScoreChanges(db: Database, accountIds: readonly number[]): void {
  if (accountIds.length === 0) return;
  cachedStatement(db, "INSERT INTO aggregate_changes (account_id) SELECT value FROM json_each(?)").run(JSON.stringify(accountIds));
}

/**
 * logScoreChanges on the data layer, in the score writer's transaction (which holds
 * lockScoreWriters, score-watermark.ts: on PostgreSQL the team views follow aggregate_changes
 * by seq up to its committed horizon).
 */
export async function recordScoreChanges(tx: Db, accountIds: readonly number[]): Promise<void> {
  if (accountIds.length === 0) return;
  const ids = jsonRows(
    tx.dialect,
    [{ name: "account_id", type: "integer" }],
    accountIds.map((id) => [id]),
  );
  await tx.run(sql`INSERT INTO aggregate_changes (account_id) SELECT account_id FROM (${ids}) AS changed`);
}

const TRANSITION_COLUMNS = [
  { name: "account_id", type: "integer" },
  { name: "old_band", type: "text" },
  { name: "new_band", type: "text" },
  { name: "old_declining", type: "integer" },
  { name: "new_declining", type: "integer" },
  { name: "old_activity", type: "text" },
  { name: "new_activity", type: "text" },
  { name: "new_previous_activity", type: "text" },
  { name: "old_score_hundredths", type: "integer" },
  { name: "new_score_hundredths", type: "integer" },
  { name: "old_config_version", type: "integer" },
  { name: "new_config_version", type: "integer" },
  { name: "at", type: "bigint" },
] as const;

const TRANSITION_INSERT = sql.raw(`INSERT INTO score_transitions (${TRANSITION_COLUMNS.map((c) => c.name).join(", ")}) `);

/**
 * The statements that record one write's log (lib/alerts/score-writes.ts) on either database:
 * at most one per table, whatever the number of accounts — the transitions a rule could fire on
 * (for the alert evaluator), one row per new configuration version (its summary, never one per
 * account), and when each changed account's score changed (the read API's ?changedSince=).
 */
export function scoreWriteStatements(dialect: Dialect, log: ScoreWriteLog, now: number): SQL[] {
  const statements: SQL[] = [];
  if (log.transitions.length > 0) {
    const rows = log.transitions.map(({ accountId, before, after }) => [
      accountId,
      before.band,
      after.band,
      before.declining ? 1 : 0,
      after.declining ? 1 : 0,
      before.activity,
      after.activity,
      after.previousActivity,
      before.scoreHundredths,
      after.scoreHundredths,
      before.configVersion,
      after.configVersion,
      now,
    ]);
    statements.push(sql`${TRANSITION_INSERT}${jsonRows(dialect, TRANSITION_COLUMNS, rows)}`);
  }
  for (const c of log.configurationChanges) {
    statements.push(sql`INSERT INTO score_configuration_changes (config_version, accounts, lower_band, higher_band, became_declining, stopped_declining, at)
      VALUES (${c.configVersion}, ${c.accounts}, ${c.lowerBand}, ${c.higherBand}, ${c.becameDeclining}, ${c.stoppedDeclining}, ${now})`);
  }
  if (log.changedAccountIds.length > 0) {
    const ids = jsonRows(dialect, [{ name: "account_id", type: "integer" }], log.changedAccountIds.map((id) => [id]));
    // "WHERE true": SQLite would otherwise read the upsert's ON as a join constraint of the SELECT.
    statements.push(sql`INSERT INTO account_score_changes (account_id, changed_at) SELECT account_id, ${now} FROM (${ids}) AS changed WHERE true
      ON CONFLICT (account_id) DO UPDATE SET changed_at = excluded.changed_at`);
  }
  return statements;
}

const sqliteDialect = new SQLiteSyncDialect();

/**
 * Records what a synchronous SQLite score writer changed, in the transaction of the change
 * (call it there): the outbox's first step, so no alert is lost to a crash after the commit.
 * Tells the alert worker afterwards (scoreTransitionsRecorded), so it evaluates at once.
 */
export function logScoreWrites(db: Database, writes: readonly ScoreWrite[], now = Date.now()): ScoreWriteLog {
  const log = classifyScoreWrites(writes);
  for (const statement of scoreWriteStatements("sqlite", log, now)) {
    const compiled = sqliteDialect.sqlToQuery(statement);
    cachedStatement(db, compiled.sql).run(...(compiled.params as (string | number | null)[]));
  }
  // Listeners run on the next turn of the event loop, after this synchronous transaction commits.
  if (needsEvaluation(log)) announceScoreTransitions();
  return log;
}

/**
 * The same for a writer on the data layer (either database); call inside its transaction, and
 * after the commit call announceScoreTransitions() when the log holds transitions or
 * configuration changes (on PostgreSQL a listener woken earlier would not see the rows yet).
 */
export async function recordScoreWrites(db: Db, writes: readonly ScoreWrite[], now = Date.now()): Promise<ScoreWriteLog> {
  const log = classifyScoreWrites(writes);
  for (const statement of scoreWriteStatements(db.dialect, log, now)) await db.run(statement);
  return log;
}

/** Whether the alert worker has something to evaluate after this log's write commits. */
export function needsEvaluation(log: ScoreWriteLog): boolean {
  return log.transitions.length > 0 || log.configurationChanges.length > 0;
}
