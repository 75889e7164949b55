import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { defaultRule, parseStoredRule, RULE_KINDS, type AnyRule, type RuleKind } from "../rules";
import { recordAuditEntry, type Actor } from "./common";

/** The built-in rules as stored (alert_rules, one row per kind; a kind never saved is its default, switched off). */
type RuleRow = Columns<
  typeof schema.alertRules,
  | "kind"
  | "enabled"
  | "params"
  | "filters"
  | "createTask"
  | "taskDueDays"
  | "playbook"
  | "notifyInApp"
  | "emailImmediately"
  | "destinationIds"
  | "lastEvaluatedDay"
  | "updatedAt"
  | "updatedBy"
>;

export interface StoredRule {
  rule: AnyRule;
  /** Time-based rules: the last UTC day evaluated. */
  lastEvaluatedDay: number | null;
  updatedAt: number | null;
  updatedBy: string | null;
}

function fromRow(kind: RuleKind, row: RuleRow): AnyRule {
  return parseStoredRule(kind, {
    enabled: row.enabled === 1,
    params: row.params,
    filters: row.filters,
    createTask: row.createTask === 1,
    taskDueDays: row.taskDueDays,
    playbook: row.playbook,
    notifyInApp: row.notifyInApp === 1,
    emailImmediately: row.emailImmediately === 1,
    destinationIds: row.destinationIds,
  });
}

const COLUMNS = sql`kind, enabled, params, filters, create_task AS "createTask", task_due_days AS "taskDueDays", playbook,
  notify_in_app AS "notifyInApp", email_immediately AS "emailImmediately", destination_ids AS "destinationIds",
  last_evaluated_day AS "lastEvaluatedDay", updated_at AS "updatedAt", updated_by AS "updatedBy"`;

/** Every built-in rule, in the order of RULE_KINDS. */
export async function listRules(db: Db): Promise<StoredRule[]> {
  const rows = await db.all<RuleRow>(sql`SELECT ${COLUMNS} FROM alert_rules`);
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return RULE_KINDS.map((kind): StoredRule => {
    const row = byKind.get(kind);
    if (!row) return { rule: defaultRule(kind), lastEvaluatedDay: null, updatedAt: null, updatedBy: null };
    return { rule: fromRow(kind, row), lastEvaluatedDay: row.lastEvaluatedDay, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
  });
}

/** The rules that are switched on. */
export async function enabledRules(db: Db): Promise<StoredRule[]> {
  return (await listRules(db)).filter((r) => r.rule.enabled);
}

export interface SaveRuleParams {
  actor: Actor;
  rule: AnyRule;
}

/**
 * Saves a rule (creating its row the first time). Destinations that do not exist are refused
 * by the caller; time-based rules start evaluating from today (no flood of old renewals).
 */
export async function saveRule(db: Db, params: SaveRuleParams): Promise<StoredRule> {
  const { rule, actor } = params;
  const now = Date.now();
  await db.transaction(async (tx) => {
    const before = await tx.get<Columns<typeof schema.alertRules, "enabled">>(sql`SELECT enabled FROM alert_rules WHERE kind = ${rule.kind}`);
    await tx.run(sql`INSERT INTO alert_rules (kind, enabled, params, filters, create_task, task_due_days, playbook, notify_in_app,
        email_immediately, destination_ids, last_evaluated_day, updated_at, updated_by)
      VALUES (${rule.kind}, ${rule.enabled ? 1 : 0}, ${JSON.stringify(rule.params)}, ${JSON.stringify(rule.filters)}, ${rule.createTask ? 1 : 0},
        ${rule.taskDueDays}, ${rule.playbook}, ${rule.notifyInApp ? 1 : 0}, ${rule.emailImmediately ? 1 : 0}, ${JSON.stringify(rule.destinationIds)},
        NULL, ${now}, ${actor.name})
      ON CONFLICT (kind) DO UPDATE SET enabled = excluded.enabled, params = excluded.params, filters = excluded.filters,
        create_task = excluded.create_task, task_due_days = excluded.task_due_days, playbook = excluded.playbook,
        notify_in_app = excluded.notify_in_app, email_immediately = excluded.email_immediately,
        destination_ids = excluded.destination_ids, updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
    // Switching a time-based rule on starts it from today: renewals that entered the window
    // while it was off are not all reported at once.
    if (rule.enabled && before?.enabled !== 1) await tx.run(sql`UPDATE alert_rules SET last_evaluated_day = NULL WHERE kind = ${rule.kind}`);
    await recordAuditEntry(tx, actor, {
      action: "alerts.rule.save",
      target: `alert_rule:${rule.kind}`,
      details: { enabled: rule.enabled, params: rule.params, filters: rule.filters, createTask: rule.createTask, destinations: rule.destinationIds },
    });
  });
  const saved = (await listRules(db)).find((r) => r.rule.kind === rule.kind);
  if (!saved) throw new Error(`rule ${rule.kind} vanished after saving`);
  return saved;
}

/** Records that a time-based rule has been evaluated through `day`. */
export async function markRuleEvaluated(db: Db, params: { kind: RuleKind; day: number }): Promise<void> {
  await db.run(sql`UPDATE alert_rules SET last_evaluated_day = ${params.day} WHERE kind = ${params.kind}`);
}
