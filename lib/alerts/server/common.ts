import "server-only";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import type { BandThresholds } from "@/lib/scoring/bands";
import type { DeclineRule } from "@/lib/scoring/decline";

/** Who did something, for the audit log. */
export interface Actor {
  id: string;
  name: string;
}

/** Appends to the audit log; call it inside the transaction of the change itself. */
export async function recordAuditEntry(db: Db, actor: Actor, entry: { action: string; target?: string; details?: Record<string, unknown> }): Promise<void> {
  await db.run(sql`INSERT INTO audit_log (at, actor_id, actor_name, action, target, details)
    VALUES (${Date.now()}, ${actor.id}, ${actor.name}, ${entry.action}, ${entry.target ?? ""}, ${JSON.stringify(entry.details ?? {})})`);
}

/** A random id with a readable prefix, e.g. "alrt_3n7x…" (base32, 20 characters: 100 bits). */
export function randomId(prefix: string): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const bytes = randomBytes(20);
  let out = "";
  for (const b of bytes) out += alphabet[b % 32];
  return `${prefix}_${out}`;
}

/** The public address of this installation, for links in emails, Slack messages and webhooks. */
export function appBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AUTH_URL?.trim();
  if (configured) return configured.replace(/\/+$/, "");
  return `http://localhost:${env.PORT ?? "3000"}`;
}

export interface ScoringContext {
  windowDays: number;
  compareDays: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
  configVersion: number;
}

type SettingsRow = Columns<
  typeof schema.scoringSettings,
  "windowDays" | "compareDays" | "churnRiskMax" | "mediumFrom" | "highFrom" | "powerAbove" | "declinePercent" | "declinePoints" | "configVersion"
>;

/** The scoring settings in force (scoring_settings, row 1). */
export async function readScoringContext(db: Db): Promise<ScoringContext> {
  const row = await db.get<SettingsRow>(sql`SELECT window_days AS "windowDays", compare_days AS "compareDays", churn_risk_max AS "churnRiskMax",
      medium_from AS "mediumFrom", high_from AS "highFrom", power_above AS "powerAbove", decline_percent AS "declinePercent",
      decline_points AS "declinePoints", config_version AS "configVersion"
    FROM scoring_settings WHERE id = 1`);
  if (!row) throw new Error("scoring_settings row 1 is missing: the database was not migrated");
  return {
    windowDays: row.windowDays,
    compareDays: row.compareDays,
    thresholds: { churnRiskMax: row.churnRiskMax, mediumFrom: row.mediumFrom, highFrom: row.highFrom, powerAbove: row.powerAbove },
    decline: { declinePercent: row.declinePercent, declinePoints: row.declinePoints },
    configVersion: row.configVersion,
  };
}

/** The UTC day the stored scores are for (null before the first scoring). */
export async function scoresAsOfDay(db: Db): Promise<number | null> {
  return (await db.value<Column<typeof schema.accountScores, "asOfDay"> | null>(sql`SELECT max(as_of_day) FROM account_scores`)) ?? null;
}

/** A PostgreSQL advisory lock for the rest of the transaction; SQLite transactions are one writer at a time already. */
export async function lockForTransaction(tx: Db, key: number): Promise<void> {
  if (tx.dialect === "postgres") await tx.run(sql`SELECT pg_advisory_xact_lock(${key})`);
}

/** Advisory lock keys of the alert jobs (any constants, distinct from db/postgres-migrate.ts's). */
export const LOCK_KEYS = { evaluator: 7_355_608_101, dailyRules: 7_355_608_102 } as const;
