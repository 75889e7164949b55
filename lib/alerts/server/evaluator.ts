import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns, LeftJoined, NotNull } from "@/db/rows";
import type * as schema from "@/db/schema";
import { inList } from "@/db/dialect";
import { todayDay } from "@/lib/days";
import { configurationChangeText, inQuietPeriod, matchesFilters, sumByVersion, transitionFires, transitionsToFire, type Transition } from "../match";
import { slackTextMessage, webhookEnvelope } from "../messages";
import { isTransitionRule } from "../rules";
import { appBaseUrl, LOCK_KEYS, lockForTransaction, randomId, readScoringContext } from "./common";
import { destinationsById, type Destination } from "./destinations";
import { getEmailSettings } from "./email-settings";
import { adminRecipients, fireAlert, type FiringAccount, type FiringContext } from "./fire";
import { enqueue } from "./outbox";
import { enabledRules } from "./rules";

/**
 * Turns the score transitions the score writers recorded into alerts, tasks, notifications and
 * outbox messages, in ONE transaction that also deletes the transitions it handled: a crash
 * before the commit leaves them to the next run, and a second evaluator (another app server)
 * waits for the advisory lock on PostgreSQL and finds them gone. What a new scoring
 * configuration changed arrives counted (score_configuration_changes) and is summarised once
 * per version, never alerted account by account.
 */
export interface EvaluationSummary {
  transitions: number;
  /** Accounts a new scoring configuration changed, summarised (not alerted one by one). */
  configurationAccounts: number;
  alerts: number;
  /** More transitions are waiting (the batch was full). */
  more: boolean;
  /** The highest transition id read (null: none), for a caller that follows new transitions. */
  lastReadId: number | null;
}

type TransitionRow = Columns<
  typeof schema.scoreTransitions,
  | "id"
  | "accountId"
  | "oldBand"
  | "newBand"
  | "oldDeclining"
  | "newDeclining"
  | "oldActivity"
  | "newActivity"
  | "newPreviousActivity"
  | "oldScoreHundredths"
  | "newScoreHundredths"
  | "oldConfigVersion"
  | "newConfigVersion"
  | "at"
>;

/** An account's row as stored (`manager`: its account manager), its score columns still raw (and absent before its first score). */
type AccountRow = Columns<typeof schema.accounts, "id" | "externalId" | "name" | "plan" | "region" | "industry" | "stage" | "renewalDate" | "trialEndDate"> & {
  manager: Column<typeof schema.accounts, "accountManager">;
  comparedHundredths: Column<typeof schema.accountScores, "previousHundredths"> | null;
} & LeftJoined<Columns<typeof schema.accountScores, "scoreHundredths" | "previousActivity" | "band" | "activity" | "declining" | "asOfDay">>;

type TagRow = Columns<typeof schema.accountTags, "accountId" | "tag">;

/** When a rule last fired for an account. */
type LastFiringRow = NotNull<Columns<typeof schema.alerts, "ruleKind" | "accountId">, "accountId"> & { lastAt: number };

const TRANSITION_COLUMNS = sql`id, account_id AS "accountId", old_band AS "oldBand", new_band AS "newBand", old_declining AS "oldDeclining",
  new_declining AS "newDeclining", old_activity AS "oldActivity", new_activity AS "newActivity", new_previous_activity AS "newPreviousActivity",
  old_score_hundredths AS "oldScoreHundredths", new_score_hundredths AS "newScoreHundredths",
  old_config_version AS "oldConfigVersion", new_config_version AS "newConfigVersion", at`;

function toTransition(row: TransitionRow): Transition {
  const { newPreviousActivity, ...rest } = row;
  return {
    ...rest,
    oldDeclining: row.oldDeclining === 1,
    newDeclining: row.newDeclining === 1,
    // No previous activity: the account did not exist on the comparison day (lib/scoring/standing.ts).
    isNew: newPreviousActivity === null,
  };
}

/** Accounts with their current score and tags, by id (accounts deleted since are absent). */
export async function firingAccounts(db: Db, ids: readonly number[]): Promise<Map<number, FiringAccount & { tags: string[] }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.all<AccountRow>(sql`
    SELECT a.id, a.external_id AS "externalId", a.name, a.plan, a.region, a.industry, a.stage, a.account_manager AS manager,
      a.renewal_date AS "renewalDate", a.trial_end_date AS "trialEndDate", s.score_hundredths AS "scoreHundredths",
      s.previous_hundredths AS "comparedHundredths", s.previous_activity AS "previousActivity", s.band, s.activity, s.declining, s.as_of_day AS "asOfDay"
    FROM accounts a LEFT JOIN account_scores s ON s.account_id = a.id
    WHERE ${inList(sql`a.id`, ids)}`);
  const tags = await db.all<TagRow>(sql`SELECT account_id AS "accountId", tag FROM account_tags WHERE ${inList(sql`account_id`, ids)}`);
  const out = new Map<number, FiringAccount & { tags: string[] }>();
  for (const r of rows) {
    // No score row yet (the LEFT JOIN found none): every score column is null together.
    if (r.scoreHundredths === null || r.band === null || r.activity === null || r.asOfDay === null) continue;
    out.set(r.id, {
      id: r.id,
      externalId: r.externalId,
      name: r.name,
      plan: r.plan,
      region: r.region,
      industry: r.industry,
      stage: r.stage,
      manager: r.manager,
      renewalDate: r.renewalDate,
      trialEndDate: r.trialEndDate,
      scoreHundredths: r.scoreHundredths,
      // A new account has no previous score (previous_activity NULL): nothing to compare with.
      comparedHundredths: r.previousActivity === null ? null : r.comparedHundredths,
      band: r.band,
      activity: r.activity,
      declining: r.declining === 1,
      asOfDay: r.asOfDay,
      tags: [],
    });
  }
  for (const t of tags) out.get(t.accountId)?.tags.push(t.tag);
  return out;
}

/** When each (rule, account) last fired, for the quiet periods. */
async function lastFirings(db: Db, accountIds: readonly number[]): Promise<Map<string, number>> {
  if (accountIds.length === 0) return new Map();
  const rows = await db.all<LastFiringRow>(sql`
    SELECT rule_kind AS "ruleKind", account_id AS "accountId", max(fired_at) AS "lastAt" FROM alerts
    WHERE ${inList(sql`account_id`, accountIds)} GROUP BY rule_kind, account_id`);
  return new Map(rows.map((r) => [`${r.ruleKind}:${r.accountId}`, r.lastAt]));
}

export async function firingContext(db: Db): Promise<FiringContext> {
  return { scoring: await readScoringContext(db), destinations: await destinationsById(db), appUrl: appBaseUrl(), email: await getEmailSettings(db) };
}

type ConfigurationChangeRow = Columns<
  typeof schema.scoreConfigurationChanges,
  "id" | "configVersion" | "accounts" | "lowerBand" | "higherBand" | "becameDeclining" | "stoppedDeclining"
>;

async function summariseConfiguration(tx: Db, rows: readonly ConfigurationChangeRow[], ctx: FiringContext, now: number): Promise<number> {
  let alerts = 0;
  for (const summary of sumByVersion(rows)) {
    const dedupeKey = `configuration:v${summary.configVersion}`;
    const existing = await tx.get<Columns<typeof schema.alerts, "id" | "details">>(sql`SELECT id, details FROM alerts WHERE dedupe_key = ${dedupeKey}`);
    if (existing) {
      // The same version changed more accounts later (a catch-up): one summary, counts added up.
      const before = summariseDetails(existing.details);
      const merged = {
        ...summary,
        accounts: summary.accounts + before.accounts,
        lowerBand: summary.lowerBand + before.lowerBand,
        higherBand: summary.higherBand + before.higherBand,
        becameDeclining: summary.becameDeclining + before.becameDeclining,
        stoppedDeclining: summary.stoppedDeclining + before.stoppedDeclining,
      };
      const text = configurationChangeText(merged);
      await tx.run(sql`UPDATE alerts SET title = ${text.title}, summary = ${text.summary}, details = ${JSON.stringify(merged)} WHERE id = ${existing.id}`);
      await tx.run(sql`UPDATE notifications SET title = ${text.title}, body = ${text.summary} WHERE alert_id = ${existing.id}`);
      continue;
    }
    const text = configurationChangeText(summary);
    const uid = randomId("cfg");
    const alertId = await tx.value<Column<typeof schema.alerts, "id">>(sql`INSERT INTO alerts (uid, rule_kind, account_id, dedupe_key, fired_at, title, summary, details)
      VALUES (${uid}, 'configuration', NULL, ${dedupeKey}, ${now}, ${text.title}, ${text.summary}, ${JSON.stringify(summary)}) RETURNING id`);
    if (alertId === undefined) throw new Error("INSERT … RETURNING id returned nothing");
    alerts++;
    for (const admin of await adminRecipients(tx)) {
      await tx.run(sql`INSERT INTO notifications (user_id, alert_id, title, body, link, created_at)
        VALUES (${admin.id}, ${alertId}, ${text.title}, ${text.summary}, '/admin/weights/history', ${now})`);
    }
    for (const destination of ctx.destinations.values()) {
      if (!destination.enabled || !destination.events.includes("configuration.changed")) continue;
      const link = `${ctx.appUrl}/admin/weights/history`;
      const payload =
        destination.kind === "webhook"
          ? webhookEnvelope("configuration.changed", now, { id: uid, ...summary, title: text.title, summary: text.summary, url: link })
          : slackTextMessage(text.title, text.summary, link);
      await enqueue(tx, { messageId: uid, channel: destination.kind, target: String(destination.id), eventType: "configuration.changed", payload: JSON.stringify(payload), now });
    }
  }
  return alerts;
}

function summariseDetails(json: string): { accounts: number; lowerBand: number; higherBand: number; becameDeclining: number; stoppedDeclining: number } {
  const value: unknown = JSON.parse(json);
  const read = (key: string): number => {
    const v = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    return typeof v === "number" ? v : 0;
  };
  return { accounts: read("accounts"), lowerBand: read("lowerBand"), higherBand: read("higherBand"), becameDeclining: read("becameDeclining"), stoppedDeclining: read("stoppedDeclining") };
}

/** Whether any transition or configuration change waits (two index probes). */
export async function transitionsWaiting(db: Db): Promise<boolean> {
  if ((await db.value<Column<typeof schema.scoreTransitions, "id">>(sql`SELECT id FROM score_transitions ORDER BY id LIMIT 1`)) !== undefined) return true;
  return (await db.value<Column<typeof schema.scoreConfigurationChanges, "id">>(sql`SELECT id FROM score_configuration_changes ORDER BY id LIMIT 1`)) !== undefined;
}

/** The newest transition's id (0 when none waits): where a worker starts following new ones. */
export async function latestTransitionId(db: Db): Promise<number> {
  return (await db.value<Column<typeof schema.scoreTransitions, "id">>(sql`SELECT id FROM score_transitions ORDER BY id DESC LIMIT 1`)) ?? 0;
}

/** Transitions read per transaction to find the ones an enabled rule fires on (the rest cost no account lookup). */
const SCAN = 5000;

export interface EvaluationOptions {
  now?: number;
  /** At most this many transitions fire per transaction (default 500). */
  batch?: number;
  /** Transitions read per transaction (default 5,000). */
  scan?: number;
  /** Newest first instead of oldest first. */
  newestFirst?: boolean;
  /** Only transitions after this id (those recorded since the caller last looked). */
  afterId?: number;
  /**
   * Stop firing once the transaction has worked this long (ms; the first firing always runs):
   * a piece of work stays short even when each alert is slow (a cold cache), so what it books
   * in the worker's share of the event loop never holds the next one back for long.
   */
  workMs?: number;
}

/**
 * Handles event-driven transitions (and every configuration change waiting) in one transaction.
 * It reads up to `scan` transitions, oldest first or (`newestFirst`) newest first, and only
 * those an enabled rule fires on — at most `batch` of them — cost an account lookup and a
 * firing; the others are handled (dropped) with them. Under live ingestion most recorded
 * transitions match no enabled rule (a rule that is off, a power user when only band drops
 * alert): read in bulk and deleted, they no longer hold a band drop behind them. Newest first
 * (from `afterId`: what was recorded since the caller last looked) lets a change that just
 * happened go out before a backlog (the day's rollover, a restart) is worked off, which the
 * worker does oldest first in another lane (worker.ts). Every transition
 * is handled exactly once: the rows handled are deleted in the transaction that read them,
 * under the evaluator's lock. Call again while `more` is true.
 */
export async function evaluateTransitions(db: Db, options: EvaluationOptions = {}): Promise<EvaluationSummary> {
  const started = performance.now();
  const now = options.now ?? Date.now();
  const batch = options.batch ?? 500;
  const scan = Math.max(batch, options.scan ?? SCAN);
  const newestFirst = options.newestFirst ?? false;
  const today = todayDay(now);
  return db.transaction(async (tx) => {
    await lockForTransaction(tx, LOCK_KEYS.evaluator);
    const configRows = await tx.all<ConfigurationChangeRow>(sql`SELECT id, config_version AS "configVersion", accounts, lower_band AS "lowerBand",
        higher_band AS "higherBand", became_declining AS "becameDeclining", stopped_declining AS "stoppedDeclining"
      FROM score_configuration_changes ORDER BY id`);
    const after = options.afterId === undefined ? sql`` : sql`WHERE id > ${options.afterId}`;
    const scoreRows = await tx.all<TransitionRow>(sql`SELECT ${TRANSITION_COLUMNS} FROM score_transitions ${after} ORDER BY id ${sql.raw(newestFirst ? "DESC" : "ASC")} LIMIT ${scan}`);
    const lastReadId = scoreRows.reduce<number | null>((max, r) => (max === null || r.id > max ? r.id : max), null);
    if (configRows.length === 0 && scoreRows.length === 0) return { transitions: 0, configurationAccounts: 0, alerts: 0, more: false, lastReadId };

    const rules = (await enabledRules(tx)).map((r) => r.rule).filter(isTransitionRule);
    const toFire = transitionsToFire(scoreRows.map(toTransition), rules.map((r) => r.kind), batch);
    const { firing } = toFire;
    let handled = toFire.handled;
    const ctx = configRows.length > 0 || firing.length > 0 ? await firingContext(tx) : null;
    let alerts = ctx ? await summariseConfiguration(tx, configRows, ctx, now) : 0;

    if (ctx && firing.length > 0) {
      const accountIds = [...new Set(firing.map((t) => t.accountId))];
      const accounts = await firingAccounts(tx, accountIds);
      const last = await lastFirings(tx, accountIds);
      for (const [n, t] of firing.entries()) {
        if (n > 0 && options.workMs !== undefined && performance.now() - started >= options.workMs) {
          // Out of time: this transition and the ones after it stay for the next transaction.
          handled = scoreRows.findIndex((r) => r.id === t.id);
          break;
        }
        const account = accounts.get(t.accountId);
        if (!account) continue;
        for (const rule of rules) {
          if (!transitionFires(rule.kind, t) || !matchesFilters(rule.filters, account)) continue;
          const key = `${rule.kind}:${t.accountId}`;
          if (inQuietPeriod(last.get(key) ?? null, now, rule.params.quietDays)) continue;
          const fired = await fireAlert(
            tx,
            {
              rule,
              // The alert tells the change that fired it, even if the score moved on since.
              account: { ...account, scoreHundredths: t.newScoreHundredths, band: t.newBand, activity: t.newActivity, declining: t.newDeclining },
              dedupeKey: `${rule.kind}:t${t.id}:a${t.accountId}`,
              beforeHundredths: t.oldScoreHundredths,
              bandBefore: t.oldBand,
              activityBefore: t.oldActivity,
              today,
              now,
            },
            ctx,
          );
          if (fired) {
            alerts++;
            last.set(key, now);
          }
        }
      }
    }

    const lastConfig = configRows.at(-1);
    if (lastConfig) await tx.run(sql`DELETE FROM score_configuration_changes WHERE id <= ${lastConfig.id}`);
    // The rows handled are a run of the rows read, from the first read to the last handled.
    const firstRead = scoreRows[0];
    const lastHandled = scoreRows[handled - 1];
    if (firstRead && lastHandled) {
      await tx.run(
        newestFirst
          ? sql`DELETE FROM score_transitions WHERE id >= ${lastHandled.id} AND id <= ${firstRead.id}`
          : sql`DELETE FROM score_transitions WHERE id <= ${lastHandled.id}`,
      );
    }
    return {
      transitions: handled,
      configurationAccounts: configRows.reduce((sum, r) => sum + r.accounts, 0),
      alerts,
      more: handled < scoreRows.length || scoreRows.length === scan,
      lastReadId,
    };
  });
}

export type { Destination };
