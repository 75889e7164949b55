import "server-only";
import type { Database } from "@/db";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";
import { todayDay } from "@/lib/days";
import type { ScoreWrite } from "@/lib/alerts/score-writes";
import { writeScoresInForce } from "./recompute";
import { addEventDelta, FULL_RECOMPUTE_BACKLOG, UNKNOWN_FIRST_DAY_LIMIT, type SyncSummary, applyAccountDeltas, emptyDeltas, startsEarlier, touchesHistory, type StoredHistory, type StoredScore, type StoredScoresExtent, type SyncWindows } from "./score-deltas";
import { logScoreChanges, logScoreWrites } from "./score-change-log";
import { latestIds, readScoreWatermark, writeScoreWatermark, type ScoreWatermark } from "./score-watermark";
import { getScoringSettings, getWeightTable } from "./settings";
import { expectRow } from "@/db/sqlite-client";
import { cachedStatement } from "@/db/query-cache";

/**
 * The score sync's synchronous SQLite fast path (score-sync.ts is the data-layer entry point,
 * and runs this on SQLite through `onSqlite`): better-sqlite3's prepared statements, one
 * IMMEDIATE transaction, no promise per query, every statement compiled once per connection
 * (cachedStatement: a sync runs per ingested batch, and compiling its dozen statements cost
 * more than running them). The arithmetic is shared (score-deltas.ts).
 */
type EventColumn<K extends keyof typeof schema.events.$inferSelect> = Column<typeof schema.events, K>;
/** A new event as the sync reads it (raw). */
type NewEventTuple = [accountId: EventColumn<"accountId">, day: EventColumn<"day">, typeId: EventColumn<"typeId">, quantity: EventColumn<"quantity">];

function unknownFirstDays(db: Database): number[] {
  return cachedStatement<Column<typeof schema.accountScores, "accountId">>(
    db,
    "SELECT account_id FROM account_scores INDEXED BY account_scores_first_day_unknown_idx WHERE first_day IS NULL LIMIT ?",
    { pluck: true },
  ).all(UNKNOWN_FIRST_DAY_LIMIT + 1);
}

/**
 * The stored scores' day and configuration versions. One aggregate per subquery: SQLite reads a
 * lone min() or max() off its index (account_scores_as_of_idx, _config_version_idx), a seek;
 * the three in one SELECT scanned every account (22 ms of a sync at 50,000 accounts).
 */
export const SCORE_EXTENT_SQL = `SELECT (SELECT max(as_of_day) FROM account_scores) AS asOf, (SELECT min(config_version) FROM account_scores) AS minVersion,
  (SELECT max(config_version) FROM account_scores) AS maxVersion`;

/** Whether some accounts' first day must be computed again, few enough for the sync to do it. */
function hasFewUnknownFirstDays(db: Database): boolean {
  const n = unknownFirstDays(db).length;
  return n > 0 && n <= UNKNOWN_FIRST_DAY_LIMIT;
}

/** Whether every stored event and account is already reflected in the scores (index look-ups). */
export function scoresInSyncSqlite(db: Database): boolean {
  const mark = readScoreWatermark(db);
  if (!mark) return false;
  const latest = latestIds(db);
  return mark.lastEventId >= latest.lastEventId && mark.lastAccountId >= latest.lastAccountId && !hasFewUnknownFirstDays(db);
}

/** Brings the scores up to date with every stored event and account; null when they were. */
export function syncScoresSqlite(db: Database): SyncSummary | null {
  if (scoresInSyncSqlite(db)) return null;
  return db.sqlite.transaction(() => syncScoresInTransactionSqlite(db)).immediate();
}

/** The same, for a caller that already holds a write transaction. */
export function syncScoresInTransactionSqlite(db: Database): SyncSummary | null {
  const started = performance.now();
  const mark = readScoreWatermark(db);
  const latest = latestIds(db);
  if (mark && mark.lastEventId >= latest.lastEventId && mark.lastAccountId >= latest.lastAccountId && !hasFewUnknownFirstDays(db)) return null;

  const settings = getScoringSettings(db);
  const stored = expectRow(cachedStatement<StoredScoresExtent>(db, SCORE_EXTENT_SQL).get(), "the stored scores' extent (an aggregate always has a row)");
  const backlog = latest.lastEventId - (mark?.lastEventId ?? 0);
  const asOf = stored.asOf;
  const needsFull =
    !mark ||
    asOf === null ||
    stored.minVersion !== settings.configVersion ||
    stored.maxVersion !== settings.configVersion ||
    backlog > FULL_RECOMPUTE_BACKLOG;
  if (needsFull) {
    const summary = writeScoresInForce(db, { asOfDay: asOf ?? todayDay() });
    writeScoreWatermark(db, latest);
    return { mode: "full", events: backlog, accounts: summary.accounts, millis: Math.round(performance.now() - started) };
  }

  const accounts = applyEventDeltas(db, mark, latest, asOf);
  writeScoreWatermark(db, latest);
  return { mode: "incremental", events: backlog, accounts, millis: Math.round(performance.now() - started) };
}

function applyEventDeltas(db: Database, mark: ScoreWatermark, latest: ScoreWatermark, asOf: number): number {
  const settings = getScoringSettings(db);
  const windows: SyncWindows = { asOf, windowDays: settings.windowDays, compareDays: settings.compareDays, thresholds: settings.thresholds, decline: settings.decline };
  const weights = getWeightTable(db);

  const found = emptyDeltas();
  // Raw tuples: this statement is only ever read this way.
  const newEvents = cachedStatement<NewEventTuple>(db, "SELECT account_id, day, type_id, quantity FROM events WHERE id > ? AND id <= ?")
    .raw()
    .iterate(mark.lastEventId, latest.lastEventId);
  for (const [accountId, day, typeId, quantity] of newEvents) addEventDelta(found, weights, asOf, accountId, day, typeId, quantity);

  const selectScore = cachedStatement<StoredScore>(
    db,
    `SELECT score_hundredths AS current, previous_hundredths AS previous, first_day AS firstDay, activity, previous_activity AS previousActivity,
       band, declining, config_version AS configVersion
       FROM account_scores WHERE account_id = ?`,
  );
  const updateScore = cachedStatement(
    db,
    `UPDATE account_scores SET score_hundredths = @current, previous_hundredths = @previous, band = @band,
       previous_band = @previousBand, declining = @declining, activity = @activity, previous_activity = @previousActivity
     WHERE account_id = @accountId`,
  );
  const selectHistory = cachedStatement<StoredHistory>(db, "SELECT start_day AS startDay, scores FROM score_history WHERE account_id = ?");
  const updateHistory = cachedStatement(db, "UPDATE score_history SET scores = ? WHERE account_id = ?");

  const recompute = new Set<number>(unknownFirstDays(db).slice(0, UNKNOWN_FIRST_DAY_LIMIT));
  // Events before an account's known first day change what it is (new, not active yet): computed
  // in full. Accounts with scored events are checked below, from the score row read anyway.
  const selectFirstDay = cachedStatement<Column<typeof schema.accountScores, "firstDay">>(db, "SELECT first_day FROM account_scores WHERE account_id = ?", { pluck: true });
  for (const accountId of found.earliest.keys()) {
    if (!found.deltas.has(accountId) && startsEarlier(found, accountId, selectFirstDay.get(accountId))) recompute.add(accountId);
  }
  const changedScores: number[] = [];
  const writes: ScoreWrite[] = [];
  let written = 0;
  // In account order: the rows (and their pages) are visited once each, front to back.
  for (const accountId of [...found.deltas.keys()].sort((a, b) => a - b)) {
    const perDay = found.deltas.get(accountId);
    if (!perDay || recompute.has(accountId)) continue;
    const score = selectScore.get(accountId);
    if (!score || startsEarlier(found, accountId, score.firstDay)) {
      recompute.add(accountId);
      continue;
    }
    const history = touchesHistory(perDay, asOf) ? selectHistory.get(accountId) : null;
    const outcome = applyAccountDeltas(accountId, score, perDay, windows, history);
    if (outcome.kind === "recompute") {
      recompute.add(accountId);
      continue;
    }
    if (outcome.history) updateHistory.run(outcome.history, accountId);
    if (outcome.update) {
      updateScore.run(outcome.update);
      changedScores.push(accountId);
    }
    if (outcome.write) writes.push(outcome.write);
    if (outcome.written) written++;
  }

  logScoreChanges(db, changedScores);
  // Alerts and the read API (ADR 0016): one statement per kind of record, in this transaction.
  logScoreWrites(db, writes);

  const newAccounts = cachedStatement<Column<typeof schema.accounts, "id">>(db, "SELECT id FROM accounts WHERE id > ? AND id <= ?", { pluck: true }).all(mark.lastAccountId, latest.lastAccountId);
  for (const id of newAccounts) recompute.add(id);
  if (recompute.size > 0) {
    writeScoresInForce(db, { asOfDay: asOf, accountIds: [...recompute].sort((a, b) => a - b) });
  }
  return written + recompute.size;
}
