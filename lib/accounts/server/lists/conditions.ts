import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Dialect } from "@/db/client";
import { containsCaseless } from "@/db/dialect";
import type { LifecycleStage } from "@/db/schema";
import { listRule, renewalWindow, stageLeftOut, type ListRule } from "@/lib/accounts/lists/membership";
import type { CallListFilterParams, CallListParams } from "@/lib/accounts/lists/resolve";
import { isoDateFromDay, type DayNumber } from "@/lib/days";
import { BANDS } from "@/lib/scoring/bands";
import { ACTIVITIES } from "@/lib/scoring/standing";

/**
 * A WHERE condition, and whether it needs the accounts table. Conditions on the scores alone
 * are answered from account_scores (and its (band, score) index) without touching accounts:
 * at 50,000 accounts, joining every row of a tier costs more than the rest of the query.
 */
export interface Condition {
  sql: SQL;
  accounts: boolean;
  /** A user's filter on accounts (manager, plan, search…): worth reading accounts first. */
  narrows?: boolean;
  /** Matches most accounts: checked row by row, never a reason to read accounts first. */
  broad?: boolean;
  /** An equality on an indexed accounts column: how many accounts it matches can be estimated. */
  equals?: { column: EstimatedColumn; value: string };
}

/** The accounts columns with an index of their own, and that index. */
export const COLUMN_INDEX = {
  account_manager: "accounts_manager_idx",
  plan: "accounts_plan_idx",
  region: "accounts_region_idx",
  industry: "accounts_industry_idx",
  stage: "accounts_stage_idx",
} as const;
export type EstimatedColumn = keyof typeof COLUMN_INDEX;
export const ESTIMATED_COLUMNS = Object.keys(COLUMN_INDEX).filter((c): c is EstimatedColumn => c in COLUMN_INDEX);

/** The columns a list rule reads, as a query names them (fixed SQL, never user input). */
export interface RuleColumns {
  band: SQL;
  activity: SQL;
  declining: SQL;
  stage: SQL;
  renewalDate: SQL;
}

/** What a rule's SQL depends on besides its columns. */
export interface RuleContext {
  dialect: Dialect;
  today: DayNumber;
}

/** A fixed name (band, activity, stage) as a literal: part of the statement's text, so the planner sees it. */
function literal(value: string): SQL {
  if (!/^[a-z_]+$/.test(value)) throw new Error(`not a fixed name: ${value}`);
  return sql.raw(`'${value}'`);
}

/** `column IN (values)`, written as SQLite reads it best: `=` for one value, `<>` for all but one. */
function oneOf(column: SQL, values: readonly string[], every: readonly string[]): SQL {
  const missing = every.filter((v) => !values.includes(v));
  if (values.length === 1 && values[0] !== undefined) return sql`${column} = ${literal(values[0])}`;
  if (missing.length === 1 && missing[0] !== undefined) return sql`${column} <> ${literal(missing[0])}`;
  return sql`${column} IN (${sql.join(values.map(literal), sql`, `)})`;
}

/**
 * A column the planner should check row by row rather than read through its index: SQLite's
 * unary + hides the index from its planner; PostgreSQL's planner weighs it with statistics.
 */
function rowByRow(dialect: Dialect, column: SQL): SQL {
  return dialect === "sqlite" ? sql`+${column}` : column;
}

/** A list rule (lib/accounts/lists/membership.ts) as SQL terms, each with what the planner needs to know of it. */
export function ruleConditions(rule: ListRule, columns: RuleColumns, context: RuleContext): Condition[] {
  const conditions: Condition[] = [];
  // Rule values are the fixed names of bands, activities and stages, never user input.
  if (rule.bands) conditions.push({ sql: oneOf(columns.band, rule.bands, BANDS), accounts: false });
  if (rule.activities) conditions.push({ sql: oneOf(columns.activity, rule.activities, ACTIVITIES), accounts: false });
  if (rule.declining) conditions.push({ sql: sql`${columns.declining} = 1`, accounts: false });
  if (rule.renewsSoon) {
    const window = renewalWindow(context.today);
    conditions.push({ sql: sql`${columns.renewalDate} BETWEEN ${window.from} AND ${window.to}`, accounts: true });
  }
  if (rule.stage !== undefined) {
    conditions.push(
      rule.stage === COMMON_STAGE
        ? // Most accounts are customers: never read through the stage index.
          { sql: sql`${rowByRow(context.dialect, columns.stage)} = ${literal(rule.stage)}`, accounts: true, broad: true }
        : { sql: sql`${columns.stage} = ${literal(rule.stage)}`, accounts: true, equals: { column: "stage", value: rule.stage } },
    );
  }
  return conditions;
}

/** The stage most accounts are in: a condition on it is checked row by row, never read through its index. */
const COMMON_STAGE: LifecycleStage = "customer";

const LIST_COLUMNS: RuleColumns = { band: sql`s.band`, activity: sql`s.activity`, declining: sql`s.declining`, stage: sql`a.stage`, renewalDate: sql`a.renewal_date` };

const ACCOUNT_COLUMN: Record<EstimatedColumn, SQL> = {
  account_manager: sql`a.account_manager`,
  plan: sql`a.plan`,
  region: sql`a.region`,
  industry: sql`a.industry`,
  stage: sql`a.stage`,
};

/** The shared filters (manager, plan, …) as conditions on the accounts table. */
export function filterConditions(dialect: Dialect, params: CallListFilterParams): Condition[] {
  const conditions: Condition[] = [];
  const equals = (column: EstimatedColumn, value: string | null) => {
    if (value === null) return;
    conditions.push({ sql: sql`${ACCOUNT_COLUMN[column]} = ${value}`, accounts: true, narrows: true, equals: { column, value } });
  };
  equals("account_manager", params.managerName);
  equals("plan", params.plan);
  equals("region", params.region);
  equals("industry", params.industry);
  equals("stage", params.stage);
  // Churned accounts are on no list unless asked for (membership.ts). Most accounts are not
  // churned: checked row by row, never a reason to read accounts first.
  const leftOut = stageLeftOut(params.stage);
  if (leftOut !== null) conditions.push({ sql: sql`${rowByRow(dialect, sql`a.stage`)} <> ${literal(leftOut)}`, accounts: true, broad: true });
  if (params.search !== "") conditions.push({ sql: containsCaseless(dialect, sql`a.name`, params.search), accounts: true, narrows: true });
  return conditions;
}

/** The snoozed accounts (a snooze that ends today is over), as a condition on the scores' row `s`. */
export function snoozedCondition(today: DayNumber): SQL {
  return sql`EXISTS (SELECT 1 FROM account_snoozes z WHERE z.account_id = s.account_id AND z.until > ${isoDateFromDay(today)})`;
}

export function listConditions(dialect: Dialect, params: CallListParams): Condition[] {
  const conditions = filterConditions(dialect, params);
  conditions.unshift(...ruleConditions(listRule(params.list, params.renewalsOnly), LIST_COLUMNS, { dialect, today: params.today }));
  if (params.band !== null) conditions.push({ sql: sql`s.band = ${params.band}`, accounts: false });
  if (!params.includeSnoozed) conditions.push({ sql: sql`NOT ${snoozedCondition(params.today)}`, accounts: false });
  return conditions;
}

export function whereClause(conditions: readonly Condition[]): SQL {
  return conditions.length > 0 ? sql`WHERE ${andAll(conditions)}` : sql``;
}

export function andAll(conditions: readonly Condition[]): SQL {
  return sql.join(
    conditions.map((c) => c.sql),
    sql` AND `,
  );
}
