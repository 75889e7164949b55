import "server-only";
import type { LifecycleStage } from "@/db/schema";
import { listRule, renewalWindow, stageLeftOut, type ListRule } from "../../call-lists/membership";
import type { CallListFilterParams, CallListParams } from "../../call-lists/resolve";
import { isoDateFromDay } from "../../days";
import { BANDS } from "../../scoring/bands";
import { ACTIVITIES } from "../../scoring/standing";

/**
 * A WHERE condition, and whether it needs the accounts table. Conditions on the scores alone
 * are answered from account_scores (and its (band, score) index) without touching accounts:
 * at 50,000 accounts, joining every row of a tier costs more than the rest of the query.
 */
export interface Condition {
  sql: string;
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

/** The columns a list rule reads, as a query names them. */
export interface RuleColumns {
  band: string;
  activity: string;
  declining: string;
  stage: string;
  renewalDate: string;
}

/** `column IN (values)`, written as SQLite reads it best: `=` for one value, `<>` for all but one. */
function oneOf(column: string, values: readonly string[], every: readonly string[]): string {
  const quoted = (v: string) => `'${v}'`;
  const missing = every.filter((v) => !values.includes(v));
  if (values.length === 1 && values[0] !== undefined) return `${column} = ${quoted(values[0])}`;
  if (missing.length === 1 && missing[0] !== undefined) return `${column} <> ${quoted(missing[0])}`;
  return `${column} IN (${values.map(quoted).join(", ")})`;
}

/** A list rule (lib/call-lists/membership.ts) as SQL terms, each with what the planner needs to know of it. */
export function ruleConditions(rule: ListRule, columns: RuleColumns): Condition[] {
  const conditions: Condition[] = [];
  // Rule values are the fixed names of bands, activities and stages, never user input.
  if (rule.bands) conditions.push({ sql: oneOf(columns.band, rule.bands, BANDS), accounts: false });
  if (rule.activities) conditions.push({ sql: oneOf(columns.activity, rule.activities, ACTIVITIES), accounts: false });
  if (rule.declining) conditions.push({ sql: `${columns.declining} = 1`, accounts: false });
  if (rule.renewsSoon) conditions.push({ sql: `${columns.renewalDate} BETWEEN @renewalFrom AND @renewalTo`, accounts: true });
  if (rule.stage !== undefined) {
    conditions.push(
      rule.stage === COMMON_STAGE
        ? // Most accounts are customers: the unary + keeps SQLite from walking the stage index.
          { sql: `+${columns.stage} = '${rule.stage}'`, accounts: true, broad: true }
        : { sql: `${columns.stage} = '${rule.stage}'`, accounts: true, equals: { column: "stage", value: rule.stage } },
    );
  }
  return conditions;
}

/** The stage most accounts are in: a condition on it is checked row by row, never read through its index. */
const COMMON_STAGE: LifecycleStage = "customer";

const LIST_COLUMNS: RuleColumns = { band: "s.band", activity: "s.activity", declining: "s.declining", stage: "a.stage", renewalDate: "a.renewal_date" };

const SNOOZED = "EXISTS (SELECT 1 FROM account_snoozes z WHERE z.account_id = s.account_id AND z.until > @todayIso)";

/** LIKE pattern for "contains", with LIKE's wildcards in the user's text taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type Bindings = Record<string, string | number>;

/** The shared filters (manager, plan, …) as conditions on the accounts table. */
export function filterConditions(params: CallListFilterParams): { conditions: Condition[]; bindings: Bindings } {
  const window = renewalWindow(params.today);
  const conditions: Condition[] = [];
  const bindings: Bindings = { renewalFrom: window.from, renewalTo: window.to, todayIso: isoDateFromDay(params.today) };
  const equals = (column: EstimatedColumn, name: string, value: string | null) => {
    if (value === null) return;
    conditions.push({ sql: `a.${column} = @${name}`, accounts: true, narrows: true, equals: { column, value } });
    bindings[name] = value;
  };
  equals("account_manager", "manager", params.managerName);
  equals("plan", "plan", params.plan);
  equals("region", "region", params.region);
  equals("industry", "industry", params.industry);
  equals("stage", "stage", params.stage);
  // Churned accounts are on no list unless asked for (membership.ts). Most accounts are not
  // churned: checked row by row, never a reason to read accounts first.
  const leftOut = stageLeftOut(params.stage);
  if (leftOut !== null) conditions.push({ sql: `+a.stage <> '${leftOut}'`, accounts: true, broad: true });
  if (params.search !== "") {
    conditions.push({ sql: "a.name LIKE @search ESCAPE '\\'", accounts: true, narrows: true });
    bindings.search = containsPattern(params.search);
  }
  return { conditions, bindings };
}

export function listConditions(params: CallListParams): { conditions: Condition[]; bindings: Bindings } {
  const { conditions, bindings } = filterConditions(params);
  conditions.unshift(...ruleConditions(listRule(params.list, params.renewalsOnly), LIST_COLUMNS));
  if (params.band !== null) {
    conditions.push({ sql: "s.band = @band", accounts: false });
    bindings.band = params.band;
  }
  if (!params.includeSnoozed) conditions.push({ sql: `NOT ${SNOOZED}`, accounts: false });
  return { conditions, bindings };
}

export function whereClause(conditions: readonly Condition[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.map((c) => c.sql).join(" AND ")}` : "";
}
