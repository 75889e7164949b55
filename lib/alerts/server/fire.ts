import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { isoDateFromDay, parseIsoDate } from "@/lib/days";
import { daySeries } from "@/lib/scoring/server/day-series";
import type { Band } from "@/lib/scoring/bands";
import type { Activity } from "@/lib/scoring/standing";
import { renderAlertEmail } from "../email";
import { alertText, ruleName, slackAlertMessage, webhookEnvelope, type AlertData, type WhyLine } from "../messages";
import type { AnyRule } from "../rules";
import { randomId, type ScoringContext } from "./common";
import type { Destination } from "./destinations";
import { emailConfigured, ensureEmailPreferences, oneClickUnsubscribeUrl, unsubscribeUrl, type EmailPayload, type EmailSettings } from "./email-settings";
import { enqueue } from "./outbox";

/**
 * What happens when a rule fires for an account, in the caller's transaction: the alert (once:
 * its dedupe key is unique), the task for the account manager, the in-app notifications and the
 * outbox messages for the rule's destinations and immediate emails.
 */
export interface FiringAccount {
  id: number;
  externalId: string;
  name: string;
  plan: string | null;
  region: string | null;
  industry: string | null;
  stage: string;
  manager: string | null;
  renewalDate: string | null;
  trialEndDate: string | null;
  scoreHundredths: number;
  /** The score compareDays ago; null for a new account (it did not exist then). */
  comparedHundredths: number | null;
  band: Band;
  activity: Activity;
  declining: boolean;
  asOfDay: number;
}

export interface Firing {
  rule: AnyRule;
  account: FiringAccount;
  /** Unique per firing: a second evaluation of the same change stores nothing. */
  dedupeKey: string;
  /** The score and band just before the change (the current ones for time-based rules). */
  beforeHundredths: number;
  bandBefore: Band;
  activityBefore: Activity;
  today: number;
  now: number;
}

export interface FiringContext {
  scoring: ScoringContext;
  destinations: Map<number, Destination>;
  appUrl: string;
  email: EmailSettings;
}

export type Recipient = Columns<typeof schema.users, "id" | "name" | "email">;

/** An event type (`weight`: its weight in hundredths) with its event counts in the current and the comparison window. */
type WhyRow = Columns<typeof schema.eventTypes, "key" | "label"> & { weight: Column<typeof schema.eventTypes, "weightHundredths">; current: number; previous: number };

/** Who hears about an account: the people whose book it is, else (no manager, or nobody works that book) the admins. */
export async function recipientsFor(db: Db, params: { manager: string | null }): Promise<Recipient[]> {
  if (params.manager !== null) {
    const managers = await db.all<Recipient>(sql`SELECT id, name, email FROM users
      WHERE account_manager_name = ${params.manager} AND deactivated_at IS NULL ORDER BY id`);
    if (managers.length > 0) return managers;
  }
  return adminRecipients(db);
}

export async function adminRecipients(db: Db): Promise<Recipient[]> {
  return db.all<Recipient>(sql`SELECT id, name, email FROM users WHERE role = 'admin' AND deactivated_at IS NULL ORDER BY id`);
}

/**
 * "Why it moved" for an alert: each event type's change of the score between the comparison
 * window and the current one, at today's weights (the account page's definition), largest first.
 * Read day by day, one seek each: daily_rollups is keyed day first (ADR 0019), so a condition on
 * the account alone would scan every account's rollups of those days.
 */
export async function whyItMoved(db: Db, params: { accountId: number; asOfDay: number; windowDays: number; compareDays: number; limit?: number }): Promise<WhyLine[]> {
  const { asOfDay, windowDays, compareDays } = params;
  const currentFrom = asOfDay - windowDays + 1;
  const previousTo = asOfDay - compareDays;
  const previousFrom = previousTo - windowDays + 1;
  const days = daySeries(db.dialect, { fromDay: Math.min(previousFrom, currentFrom), toDay: asOfDay });
  const rows = await db.all<WhyRow>(sql`${days.with}
    SELECT et.key AS "key", et.label AS label, et.weight_hundredths AS weight,
      sum(CASE WHEN r.day >= ${currentFrom} AND r.day <= ${asOfDay} THEN r.count ELSE 0 END) AS current,
      sum(CASE WHEN r.day >= ${previousFrom} AND r.day <= ${previousTo} THEN r.count ELSE 0 END) AS previous
    FROM ${days.from} ${days.join} daily_rollups r ON r.day = days.day AND r.account_id = ${params.accountId}
    JOIN event_types et ON et.id = r.type_id
    WHERE et.active = 1 AND et.weight_hundredths <> 0
    GROUP BY et.id, et.key, et.label, et.weight_hundredths`);
  return rows
    .map((r) => ({ eventType: r.key, label: r.label, change: (r.weight * (r.current - r.previous)) / 100 }))
    .filter((w) => w.change !== 0)
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.change - b.change || a.eventType.localeCompare(b.eventType))
    .slice(0, params.limit ?? 5);
}

export async function fireAlert(tx: Db, firing: Firing, ctx: FiringContext): Promise<AlertData | null> {
  const { rule, account, now, today } = firing;
  // An alert about a fall lists what fell first (a rise, what rose): the lines that explain it.
  const direction = rule.kind === "power_user" ? 1 : -1;
  const why = (await whyItMoved(tx, { accountId: account.id, asOfDay: account.asOfDay, windowDays: ctx.scoring.windowDays, compareDays: ctx.scoring.compareDays })).sort(
    (a, b) => Number(Math.sign(b.change) === direction) - Number(Math.sign(a.change) === direction),
  );
  const text = alertText({
    kind: rule.kind,
    accountName: account.name,
    currentHundredths: account.scoreHundredths,
    beforeHundredths: firing.beforeHundredths,
    band: account.band,
    bandBefore: firing.bandBefore,
    activity: account.activity,
    activityBefore: firing.activityBefore,
    comparedHundredths: account.comparedHundredths,
    compareDays: ctx.scoring.compareDays,
    windowDays: ctx.scoring.windowDays,
    renewalDay: account.renewalDate === null ? null : parseIsoDate(account.renewalDate),
    trialEndDay: account.trialEndDate === null ? null : parseIsoDate(account.trialEndDate),
    today,
    belowScore: rule.kind === "trial_ending" ? rule.params.belowScore : undefined,
    why,
  });
  const uid = randomId("alrt");
  const path = `/accounts/${account.id}`;
  const data: AlertData = {
    alertId: uid,
    rule: { kind: rule.kind, name: ruleName(rule.kind) },
    firedAt: new Date(now).toISOString(),
    account: { id: account.externalId, name: account.name, manager: account.manager, plan: account.plan, url: `${ctx.appUrl}${path}` },
    score: {
      current: account.scoreHundredths / 100,
      before: firing.beforeHundredths / 100,
      band: account.band,
      bandBefore: firing.bandBefore,
      activity: account.activity,
      activityBefore: firing.activityBefore,
      declining: account.declining,
      compared: account.comparedHundredths === null ? null : account.comparedHundredths / 100,
      compareDays: ctx.scoring.compareDays,
    },
    why,
    renewalDate: account.renewalDate,
    trialEndDate: account.trialEndDate,
    ...text,
  };

  const alertId = await tx.value<Column<typeof schema.alerts, "id">>(sql`INSERT INTO alerts (uid, rule_kind, account_id, dedupe_key, fired_at, title, summary, details)
    VALUES (${uid}, ${rule.kind}, ${account.id}, ${firing.dedupeKey}, ${now}, ${text.title}, ${text.summary}, ${JSON.stringify(data)})
    ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`);
  if (alertId === undefined) return null;

  if (rule.createTask) {
    await tx.run(sql`INSERT INTO tasks (account_id, alert_id, rule_kind, title, playbook, assignee, due_date, status, created_at)
      VALUES (${account.id}, ${alertId}, ${rule.kind}, ${text.title}, ${rule.playbook}, ${account.manager}, ${isoDateFromDay(today + rule.taskDueDays)}, 'open', ${now})
      ON CONFLICT DO NOTHING`);
  }

  const recipients = await recipientsFor(tx, { manager: account.manager });
  if (rule.notifyInApp) {
    for (const r of recipients) {
      await tx.run(sql`INSERT INTO notifications (user_id, alert_id, title, body, link, created_at)
        VALUES (${r.id}, ${alertId}, ${text.title}, ${text.summary}, ${path}, ${now})`);
    }
  }

  for (const id of rule.destinationIds) {
    const destination = ctx.destinations.get(id);
    if (!destination || !destination.enabled) continue;
    const payload = destination.kind === "webhook" ? webhookEnvelope("alert.fired", now, data) : slackAlertMessage(data);
    await enqueue(tx, { messageId: uid, channel: destination.kind, target: String(id), eventType: "alert.fired", payload: JSON.stringify(payload), now });
  }

  if (rule.emailImmediately && emailConfigured(ctx.email)) {
    for (const r of recipients) {
      const preferences = await ensureEmailPreferences(tx, { userId: r.id });
      if (!preferences.immediate) continue;
      const unsubscribe = unsubscribeUrl(ctx.appUrl, preferences.unsubscribeToken, "immediate");
      const email: EmailPayload = {
        to: r.email,
        toName: r.name,
        ...renderAlertEmail(data, unsubscribe),
        unsubscribeUrl: unsubscribe,
        oneClickUrl: oneClickUnsubscribeUrl(ctx.appUrl, preferences.unsubscribeToken, "immediate"),
      };
      await enqueue(tx, { messageId: uid, channel: "email", target: r.id, eventType: "alert.fired", payload: JSON.stringify(email), now });
    }
  }
  return data;
}
