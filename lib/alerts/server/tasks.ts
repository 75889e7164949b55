import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns, LeftJoined } from "@/db/rows";
import type * as schema from "@/db/schema";
import { isoDateFromDay } from "@/lib/days";
import type { ContactOutcome } from "@/lib/accounts/contact-outcomes";
import type { Actor } from "./common";

/**
 * Tasks (calls to action): created by firing rules, assigned to the account's manager, worked
 * from "My tasks" and the account page. Completing one logs the contact in the same
 * transaction, so the account's activity shows what was done.
 */
export const TASK_STATUSES = ["open", "done", "dismissed"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A task with its account's name, the account's current score and band (null: not scored yet) and the outcome of the contact that completed it. */
export type TaskRow = Columns<
  typeof schema.tasks,
  "id" | "accountId" | "ruleKind" | "title" | "playbook" | "assignee" | "dueDate" | "status" | "createdAt" | "completedAt" | "completedByName"
> &
  LeftJoined<Columns<typeof schema.accountScores, "scoreHundredths" | "band">> & {
    accountName: Column<typeof schema.accounts, "name">;
    contactOutcome: Column<typeof schema.accountContacts, "outcome"> | null;
  };

const COLUMNS = sql`t.id, t.account_id AS "accountId", a.name AS "accountName", s.score_hundredths AS "scoreHundredths", s.band,
  t.rule_kind AS "ruleKind", t.title, t.playbook, t.assignee, t.due_date AS "dueDate", t.status, t.created_at AS "createdAt",
  t.completed_at AS "completedAt", t.completed_by_name AS "completedByName", c.outcome AS "contactOutcome"`;
const FROM = sql`FROM tasks t JOIN accounts a ON a.id = t.account_id LEFT JOIN account_scores s ON s.account_id = t.account_id
  LEFT JOIN account_contacts c ON c.id = t.contact_id`;

export interface ListTasksParams {
  /** A book (accounts.account_manager), or null for every task. */
  assignee: string | null;
  status: "open" | "closed";
  limit: number;
  offset: number;
}

export interface TaskPage {
  tasks: TaskRow[];
  total: number;
}

/** Open tasks soonest due first; closed ones most recently closed first. */
export async function listTasks(db: Db, params: ListTasksParams): Promise<TaskPage> {
  const who = params.assignee === null ? sql`` : sql` AND t.assignee = ${params.assignee}`;
  const status = params.status === "open" ? sql`t.status = 'open'` : sql`t.status <> 'open'`;
  const order = params.status === "open" ? sql`t.due_date, t.created_at, t.id` : sql`t.completed_at DESC, t.id DESC`;
  const tasks = await db.all<TaskRow>(sql`SELECT ${COLUMNS} ${FROM} WHERE ${status}${who} ORDER BY ${order} LIMIT ${params.limit} OFFSET ${params.offset}`);
  const total = (await db.value<number>(sql`SELECT count(*) FROM tasks t WHERE ${status}${who}`)) ?? 0;
  return { tasks, total };
}

export interface TaskCounts {
  open: number;
  overdue: number;
  dueToday: number;
}

export async function countTasks(db: Db, params: { assignee: string | null; today: number }): Promise<TaskCounts> {
  const who = params.assignee === null ? sql`` : sql` AND assignee = ${params.assignee}`;
  const today = isoDateFromDay(params.today);
  const row = await db.get<TaskCounts>(sql`SELECT count(*) AS open,
      coalesce(sum(CASE WHEN due_date < ${today} THEN 1 ELSE 0 END), 0) AS overdue,
      coalesce(sum(CASE WHEN due_date = ${today} THEN 1 ELSE 0 END), 0) AS "dueToday"
    FROM tasks WHERE status = 'open'${who}`);
  return row ?? { open: 0, overdue: 0, dueToday: 0 };
}

/** An account's open tasks and its last closed ones. */
export async function accountTasks(db: Db, params: { accountId: number; closedLimit?: number }): Promise<TaskRow[]> {
  const open = await db.all<TaskRow>(sql`SELECT ${COLUMNS} ${FROM} WHERE t.account_id = ${params.accountId} AND t.status = 'open' ORDER BY t.due_date, t.id`);
  const closed = await db.all<TaskRow>(sql`SELECT ${COLUMNS} ${FROM} WHERE t.account_id = ${params.accountId} AND t.status <> 'open'
    ORDER BY t.completed_at DESC, t.id DESC LIMIT ${params.closedLimit ?? 5}`);
  return [...open, ...closed];
}

export async function getTask(db: Db, params: { id: number }): Promise<TaskRow | null> {
  return (await db.get<TaskRow>(sql`SELECT ${COLUMNS} ${FROM} WHERE t.id = ${params.id}`)) ?? null;
}

export type CloseTaskResult = { ok: true; task: TaskRow } | { ok: false; reason: "not_found" | "closed"; task: TaskRow | null };

export interface CompleteTaskParams {
  id: number;
  actor: Actor;
  outcome: ContactOutcome;
  note: string;
  /** When the contact happened (ms); default now. */
  contactedAt?: number;
}

/** Completes an open task and logs the contact it stands for, in one transaction. */
export async function completeTask(db: Db, params: CompleteTaskParams): Promise<CloseTaskResult> {
  const now = Date.now();
  const outcome = await db.transaction(async (tx): Promise<CloseTaskResult> => {
    const task = await getTask(tx, { id: params.id });
    if (!task) return { ok: false, reason: "not_found", task: null };
    if (task.status !== "open") return { ok: false, reason: "closed", task };
    const note = params.note.trim() === "" ? `Task: ${task.title}` : params.note;
    const contactId = await tx.value<Column<typeof schema.accountContacts, "id">>(sql`INSERT INTO account_contacts (account_id, user_id, user_name, outcome, contacted_at, note, created_at)
      VALUES (${task.accountId}, ${params.actor.id}, ${params.actor.name}, ${params.outcome}, ${params.contactedAt ?? now}, ${note}, ${now}) RETURNING id`);
    if (contactId === undefined) throw new Error("INSERT … RETURNING id returned nothing");
    await tx.run(sql`UPDATE tasks SET status = 'done', completed_at = ${now}, completed_by_id = ${params.actor.id}, completed_by_name = ${params.actor.name},
        contact_id = ${contactId} WHERE id = ${params.id} AND status = 'open'`);
    const done = await getTask(tx, { id: params.id });
    if (!done) throw new Error(`task ${params.id} vanished while completing it`);
    return { ok: true, task: done };
  });
  return outcome;
}

/** Closes an open task without a contact (it no longer applies). */
export async function dismissTask(db: Db, params: { id: number; actor: Actor }): Promise<CloseTaskResult> {
  return db.transaction(async (tx): Promise<CloseTaskResult> => {
    const task = await getTask(tx, { id: params.id });
    if (!task) return { ok: false, reason: "not_found", task: null };
    if (task.status !== "open") return { ok: false, reason: "closed", task };
    await tx.run(sql`UPDATE tasks SET status = 'dismissed', completed_at = ${Date.now()}, completed_by_id = ${params.actor.id},
        completed_by_name = ${params.actor.name} WHERE id = ${params.id} AND status = 'open'`);
    const dismissed = await getTask(tx, { id: params.id });
    if (!dismissed) throw new Error(`task ${params.id} vanished while dismissing it`);
    return { ok: true, task: dismissed };
  });
}
