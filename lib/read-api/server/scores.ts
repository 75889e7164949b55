import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns, LeftJoined } from "@/db/rows";
import type * as schema from "@/db/schema";
import { isoDateFromDay } from "@/lib/days";
import { encodeCursor, SYNC_OVERLAP_MS, type ScoreRecord, type ScoresCursor } from "../scores";

/** The read API's queries: one account's score, and the accounts whose score changed since a moment (keyset pages). */
/** An account (`manager`: its account manager), its stored score and when that last changed (null: never recorded). */
type ScoreRow = Columns<typeof schema.accounts, "id" | "externalId" | "name" | "plan" | "stage" | "renewalDate"> &
  Columns<typeof schema.accountScores, "scoreHundredths" | "previousHundredths" | "activity" | "previousActivity" | "band" | "declining" | "asOfDay"> &
  LeftJoined<Columns<typeof schema.accountScoreChanges, "changedAt">> & {
    manager: Column<typeof schema.accounts, "accountManager">;
  };

/** The columns toScoreRecord reads, from accounts a, account_scores s and account_score_changes c. */
export const SCORE_RECORD_COLUMNS = sql`a.id, a.external_id AS "externalId", a.name, s.score_hundredths AS "scoreHundredths", s.previous_hundredths AS "previousHundredths",
  s.activity, s.previous_activity AS "previousActivity", s.band, s.declining, s.as_of_day AS "asOfDay", c.changed_at AS "changedAt", a.account_manager AS manager, a.plan, a.stage,
  a.renewal_date AS "renewalDate"`;

export function toScoreRecord(row: ScoreRow): ScoreRecord {
  // A new account (no previous activity) did not exist on the comparison day: no previous score, no change.
  const hasPast = row.previousActivity !== null;
  return {
    accountId: row.externalId,
    name: row.name,
    score: row.scoreHundredths / 100,
    band: row.band,
    activity: row.activity,
    previousScore: hasPast ? row.previousHundredths / 100 : null,
    change: hasPast ? (row.scoreHundredths - row.previousHundredths) / 100 : null,
    declining: row.declining === 1,
    asOf: isoDateFromDay(row.asOfDay),
    scoreChangedAt: row.changedAt === null ? null : new Date(row.changedAt).toISOString(),
    manager: row.manager,
    plan: row.plan,
    stage: row.stage,
    renewalDate: row.renewalDate,
  };
}

/** One account's current score by your id of it; null when unknown or not scored yet. */
export async function scoreOfAccount(db: Db, params: { externalId: string }): Promise<ScoreRecord | null> {
  const row = await db.get<ScoreRow>(sql`SELECT ${SCORE_RECORD_COLUMNS} FROM accounts a JOIN account_scores s ON s.account_id = a.id
    LEFT JOIN account_score_changes c ON c.account_id = a.id WHERE a.external_id = ${params.externalId}`);
  return row ? toScoreRecord(row) : null;
}

export interface ScoresPage {
  data: ScoreRecord[];
  nextCursor: string | null;
  syncedUntil: string;
}

/**
 * Accounts whose score or band changed at or after `cursor.since`, oldest change first, after
 * the cursor's position. Keyset paging on (changed_at, account_id) reads one index range per
 * page whatever the page number.
 */
export async function scoresChangedSince(db: Db, params: { cursor: ScoresCursor; limit: number }): Promise<ScoresPage> {
  const { since, changedAt, accountId, startedAt } = params.cursor;
  const rows = await db.all<ScoreRow>(sql`SELECT ${SCORE_RECORD_COLUMNS} FROM account_score_changes c
    JOIN accounts a ON a.id = c.account_id JOIN account_scores s ON s.account_id = c.account_id
    WHERE c.changed_at >= ${since} AND (c.changed_at > ${changedAt} OR (c.changed_at = ${changedAt} AND c.account_id > ${accountId}))
    ORDER BY c.changed_at, c.account_id LIMIT ${params.limit + 1}`);
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  const more = rows.length > params.limit && last !== undefined && last.changedAt !== null;
  return {
    data: page.map(toScoreRecord),
    nextCursor: more && last.changedAt !== null ? encodeCursor({ since, changedAt: last.changedAt, accountId: last.id, startedAt }) : null,
    syncedUntil: new Date(startedAt - SYNC_OVERLAP_MS).toISOString(),
  };
}

/** The first cursor of a listing. */
export function firstCursor(since: number, now: number): ScoresCursor {
  return { since, changedAt: since - 1, accountId: 0, startedAt: now };
}
