import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { todayDay } from "@/lib/days";
import { bandFor, type Band } from "@/lib/scoring/bands";
import type { Activity } from "@/lib/scoring/standing";
import { announceScoreTransitions, needsEvaluation, recordScoreWrites } from "@/lib/scoring/server/score-change-log";

/** Test data written with the data layer's SQL, so the same helpers serve SQLite and PostgreSQL. */
export const ADMIN = { id: "u-admin", name: "Ada Admin" };

export interface AccountSpec {
  externalId: string;
  name?: string;
  manager?: string | null;
  plan?: string | null;
  region?: string | null;
  stage?: "trial" | "customer" | "churned";
  renewalDate?: string | null;
  trialEndDate?: string | null;
  tags?: string[];
}

export async function insertAccount(db: Db, spec: AccountSpec): Promise<number> {
  const now = Date.now();
  const id = await db.value<number>(sql`INSERT INTO accounts (external_id, name, plan, region, account_manager, stage, renewal_date, trial_end_date, created_at, updated_at)
    VALUES (${spec.externalId}, ${spec.name ?? spec.externalId}, ${spec.plan ?? null}, ${spec.region ?? null}, ${spec.manager ?? null},
      ${spec.stage ?? "customer"}, ${spec.renewalDate ?? null}, ${spec.trialEndDate ?? null}, ${now}, ${now}) RETURNING id`);
  if (id === undefined) throw new Error("no id");
  for (const tag of spec.tags ?? []) await db.run(sql`INSERT INTO account_tags (account_id, tag) VALUES (${id}, ${tag})`);
  return id;
}

export interface ScoreSpec {
  points: number;
  /** Points compareDays ago (default: the same). */
  previous?: number;
  declining?: boolean;
  configVersion?: number;
  asOfDay?: number;
  band?: Band;
  /** What the score means (default active). */
  activity?: Activity;
  /** The comparison day's activity; null for a new account, which did not exist then (default active). */
  previousActivity?: Activity | null;
}

/**
 * Writes an account's current score the way the score writers do (lib/scoring/server/score-sync.ts,
 * recompute.ts): the upsert and, in its transaction, the record of what changed
 * (recordScoreWrites: transitions, configuration summaries, changes for the read API).
 */
export async function setScore(db: Db, accountId: number, spec: ScoreSpec): Promise<void> {
  const hundredths = Math.round(spec.points * 100);
  const previous = Math.round((spec.previous ?? spec.points) * 100);
  const band = spec.band ?? bandFor(spec.points);
  const version = spec.configVersion ?? 1;
  const activity = spec.activity ?? "active";
  const previousActivity = spec.previousActivity === undefined ? "active" : spec.previousActivity;
  const log = await db.transaction(async (tx) => {
    const stored = await tx.get<{ band: Band; declining: number; activity: Activity; previousActivity: Activity | null; scoreHundredths: number; configVersion: number }>(sql`
      SELECT band, declining, activity, previous_activity AS "previousActivity", score_hundredths AS "scoreHundredths", config_version AS "configVersion"
      FROM account_scores WHERE account_id = ${accountId}`);
    await tx.run(sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version,
        activity, previous_activity)
      VALUES (${accountId}, ${spec.asOfDay ?? todayDay()}, ${hundredths}, ${previous}, ${band}, ${bandFor(previous / 100)}, ${spec.declining ? 1 : 0}, ${version},
        ${activity}, ${previousActivity})
      ON CONFLICT (account_id) DO UPDATE SET as_of_day = excluded.as_of_day, score_hundredths = excluded.score_hundredths,
        previous_hundredths = excluded.previous_hundredths, band = excluded.band, previous_band = excluded.previous_band,
        declining = excluded.declining, config_version = excluded.config_version, activity = excluded.activity,
        previous_activity = excluded.previous_activity`);
    return recordScoreWrites(tx, [
      {
        accountId,
        before: stored ? { ...stored, declining: stored.declining === 1 } : null,
        after: { band, declining: spec.declining ?? false, activity, previousActivity, scoreHundredths: hundredths, configVersion: version },
      },
    ]);
  });
  if (needsEvaluation(log)) announceScoreTransitions();
}

export async function insertUser(db: Db, user: { id: string; name: string; email: string; role?: "viewer" | "manager" | "admin"; book?: string | null }): Promise<void> {
  const now = Date.now();
  await db.run(sql`INSERT INTO users (id, name, email, email_verified, role, account_manager_name, created_at, updated_at)
    VALUES (${user.id}, ${user.name}, ${user.email}, 0, ${user.role ?? "manager"}, ${user.book ?? null}, ${now}, ${now})`);
}

export async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  return (await db.value<number>(query)) ?? 0;
}

export { startReceiver, startSmtp, type ReceivedRequest, type Receiver, type SmtpReceiver } from "./receivers";
