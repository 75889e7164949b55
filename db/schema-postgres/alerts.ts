import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { BANDS } from "../../lib/scoring/bands";
import { ACTIVITIES } from "../../lib/scoring/standing";
import { accounts } from "./accounts";
import { users } from "./auth";
import { millis } from "./columns";
import { accountContacts } from "./worklist";

/** PostgreSQL twin of db/schema/alerts.ts (see there for what each column means). */
export const alertRules = pgTable("alert_rules", {
  kind: text("kind").primaryKey(),
  enabled: integer("enabled").notNull(),
  params: text("params").notNull(),
  filters: text("filters").notNull(),
  createTask: integer("create_task").notNull(),
  taskDueDays: integer("task_due_days").notNull(),
  playbook: text("playbook").notNull(),
  notifyInApp: integer("notify_in_app").notNull(),
  emailImmediately: integer("email_immediately").notNull(),
  destinationIds: text("destination_ids").notNull(),
  lastEvaluatedDay: integer("last_evaluated_day"),
  updatedAt: millis("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

export const alertDestinations = pgTable("alert_destinations", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  kind: text("kind", { enum: ["webhook", "slack"] }).notNull(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  secret: text("secret"),
  events: text("events").notNull(),
  enabled: integer("enabled").notNull(),
  createdAt: millis("created_at").notNull(),
  createdBy: text("created_by").notNull(),
});

export const scoreTransitions = pgTable("score_transitions", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
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
  at: millis("at").notNull(),
});

export const scoreConfigurationChanges = pgTable("score_configuration_changes", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  configVersion: integer("config_version").notNull(),
  accounts: integer("accounts").notNull(),
  lowerBand: integer("lower_band").notNull(),
  higherBand: integer("higher_band").notNull(),
  becameDeclining: integer("became_declining").notNull(),
  stoppedDeclining: integer("stopped_declining").notNull(),
  at: millis("at").notNull(),
});

export const accountScoreChanges = pgTable(
  "account_score_changes",
  {
    accountId: integer("account_id")
      .primaryKey()
      .references(() => accounts.id),
    changedAt: millis("changed_at").notNull(),
  },
  (t) => [index("account_score_changes_at_idx").on(t.changedAt, t.accountId)],
);

export const alerts = pgTable(
  "alerts",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    uid: text("uid").notNull().unique(),
    ruleKind: text("rule_kind").notNull(),
    accountId: integer("account_id").references(() => accounts.id),
    dedupeKey: text("dedupe_key").notNull().unique(),
    firedAt: millis("fired_at").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    details: text("details").notNull(),
  },
  (t) => [index("alerts_rule_account_idx").on(t.ruleKind, t.accountId, t.firedAt), index("alerts_account_idx").on(t.accountId, t.firedAt), index("alerts_fired_idx").on(t.firedAt)],
);

export const tasks = pgTable(
  "tasks",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    alertId: integer("alert_id").references(() => alerts.id),
    ruleKind: text("rule_kind"),
    title: text("title").notNull(),
    playbook: text("playbook").notNull(),
    assignee: text("assignee"),
    dueDate: text("due_date").notNull(),
    status: text("status", { enum: ["open", "done", "dismissed"] }).notNull(),
    createdAt: millis("created_at").notNull(),
    completedAt: millis("completed_at"),
    completedById: text("completed_by_id"),
    completedByName: text("completed_by_name"),
    contactId: integer("contact_id").references(() => accountContacts.id),
  },
  (t) => [
    index("tasks_assignee_idx").on(t.assignee, t.status, t.dueDate),
    index("tasks_account_idx").on(t.accountId, t.status),
    index("tasks_status_due_idx").on(t.status, t.dueDate),
    uniqueIndex("tasks_open_rule_uq").on(t.accountId, t.ruleKind).where(sql`${t.status} = 'open'`),
  ],
);

export const notifications = pgTable(
  "notifications",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    alertId: integer("alert_id").references(() => alerts.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    link: text("link").notNull(),
    createdAt: millis("created_at").notNull(),
    readAt: millis("read_at"),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt), index("notifications_unread_idx").on(t.userId, t.readAt)],
);
