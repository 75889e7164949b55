import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { BANDS } from "../../lib/scoring/bands";
import { ACTIVITIES } from "../../lib/scoring/standing";
import { accounts } from "./accounts";
import { users } from "./auth";
import { accountContacts } from "./worklist";

/**
 * Alerts, tasks and notifications (docs/adr/0016-alerts-outbox-and-read-api.md). Instants are
 * integer milliseconds written by the code (no database defaults), flags are integers 0/1 and
 * JSON documents are text, so raw SQL reads the same values from SQLite and PostgreSQL.
 */

/** The built-in rules, one row per kind (the kind is the id): on or off, with parameters. */
export const alertRules = sqliteTable("alert_rules", {
  kind: text("kind").primaryKey(),
  enabled: integer("enabled").notNull(),
  /** JSON: the kind's parameters (lib/alerts/rules.ts). */
  params: text("params").notNull(),
  /** JSON: { plans, regions, industries, stages, tags, managers } — empty lists match every account. */
  filters: text("filters").notNull(),
  createTask: integer("create_task").notNull(),
  taskDueDays: integer("task_due_days").notNull(),
  /** The line of the playbook a task carries ("Call within two days: …"). */
  playbook: text("playbook").notNull(),
  notifyInApp: integer("notify_in_app").notNull(),
  emailImmediately: integer("email_immediately").notNull(),
  /** JSON array of alert_destinations ids that receive the rule's alerts. */
  destinationIds: text("destination_ids").notNull(),
  /** Time-based rules: the last UTC day evaluated, so a missed day is caught up, never repeated. */
  lastEvaluatedDay: integer("last_evaluated_day"),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

/** Where alerts go besides tasks, in-app and email: Slack incoming webhooks and signed webhooks. */
export const alertDestinations = sqliteTable("alert_destinations", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  kind: text("kind", { enum: ["webhook", "slack"] }).notNull(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  /** Webhooks: the Standard Webhooks signing secret ("whsec_…"); null for Slack. */
  secret: text("secret"),
  /** JSON array of the events besides rule alerts: "scores.changed", "configuration.changed". */
  events: text("events").notNull(),
  enabled: integer("enabled").notNull(),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by").notNull(),
});

/**
 * Band, declining and not-active-yet changes of account_scores that a rule could fire on, appended
 * by the score writers in the transaction that changed the score (lib/scoring/server/score-change-log.ts);
 * the evaluator turns them into alerts and deletes them. Changes made by a new scoring
 * configuration are never recorded here, only counted in score_configuration_changes.
 */
export const scoreTransitions = sqliteTable("score_transitions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  accountId: integer("account_id").notNull(),
  oldBand: text("old_band", { enum: BANDS }).notNull(),
  newBand: text("new_band", { enum: BANDS }).notNull(),
  oldDeclining: integer("old_declining").notNull(),
  newDeclining: integer("new_declining").notNull(),
  /** What the score meant (lib/scoring/standing.ts): an account not active yet has no band to drop from. */
  oldActivity: text("old_activity", { enum: ACTIVITIES }).notNull(),
  newActivity: text("new_activity", { enum: ACTIVITIES }).notNull(),
  /** NULL: the account is new (it did not exist on the comparison day), so it has no previous score to fall from. */
  newPreviousActivity: text("new_previous_activity", { enum: ACTIVITIES }),
  oldScoreHundredths: integer("old_score_hundredths").notNull(),
  newScoreHundredths: integer("new_score_hundredths").notNull(),
  oldConfigVersion: integer("old_config_version").notNull(),
  newConfigVersion: integer("new_config_version").notNull(),
  at: integer("at").notNull(),
});

/**
 * What a new scoring configuration did to the accounts, counted by the writer that applied it
 * (one row per write and version, never one per account); the evaluator sums a version's rows
 * into one summary alert and deletes them.
 */
export const scoreConfigurationChanges = sqliteTable("score_configuration_changes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  configVersion: integer("config_version").notNull(),
  /** Accounts whose band, declining flag or "not active yet" the configuration changed. */
  accounts: integer("accounts").notNull(),
  lowerBand: integer("lower_band").notNull(),
  higherBand: integer("higher_band").notNull(),
  becameDeclining: integer("became_declining").notNull(),
  stoppedDeclining: integer("stopped_declining").notNull(),
  at: integer("at").notNull(),
});

/** When each account's current score or band last changed (written by the score writers), for ?changedSince= reads. */
export const accountScoreChanges = sqliteTable(
  "account_score_changes",
  {
    accountId: integer("account_id")
      .primaryKey()
      .references(() => accounts.id),
    changedAt: integer("changed_at").notNull(),
  },
  (t) => [index("account_score_changes_at_idx").on(t.changedAt, t.accountId)],
);

/** One row per firing of a rule (and per configuration-change summary, rule_kind "configuration"). */
export const alerts = sqliteTable(
  "alerts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The stable id every delivery of this alert carries (webhook-id), e.g. "alrt_9x…". */
    uid: text("uid").notNull().unique(),
    ruleKind: text("rule_kind").notNull(),
    accountId: integer("account_id").references(() => accounts.id),
    /** What makes a firing unique (rule, account and transition or date): a repeat is not stored. */
    dedupeKey: text("dedupe_key").notNull().unique(),
    firedAt: integer("fired_at").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    /** JSON: the payload's data (lib/alerts/payloads.ts). */
    details: text("details").notNull(),
  },
  (t) => [index("alerts_rule_account_idx").on(t.ruleKind, t.accountId, t.firedAt), index("alerts_account_idx").on(t.accountId, t.firedAt), index("alerts_fired_idx").on(t.firedAt)],
);

/** Calls to action: assigned to the account's manager, with a due date and the rule's playbook line. */
export const tasks = sqliteTable(
  "tasks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    alertId: integer("alert_id").references(() => alerts.id),
    ruleKind: text("rule_kind"),
    title: text("title").notNull(),
    playbook: text("playbook").notNull(),
    /** The account manager (accounts.account_manager) whose book the task is in; null: unassigned. */
    assignee: text("assignee"),
    dueDate: text("due_date").notNull(),
    status: text("status", { enum: ["open", "done", "dismissed"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    completedAt: integer("completed_at"),
    completedById: text("completed_by_id"),
    completedByName: text("completed_by_name"),
    contactId: integer("contact_id").references(() => accountContacts.id),
  },
  (t) => [
    index("tasks_assignee_idx").on(t.assignee, t.status, t.dueDate),
    index("tasks_account_idx").on(t.accountId, t.status),
    index("tasks_status_due_idx").on(t.status, t.dueDate),
    // One open task per account and rule: a rule that fires again adds no second call to make.
    uniqueIndex("tasks_open_rule_uq").on(t.accountId, t.ruleKind).where(sql`${t.status} = 'open'`),
  ],
);

/** The in-app notifications menu: one row per recipient. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    alertId: integer("alert_id").references(() => alerts.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** A path inside the app. */
    link: text("link").notNull(),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt), index("notifications_unread_idx").on(t.userId, t.readAt)],
);
