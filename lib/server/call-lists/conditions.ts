import "server-only";
import { renewalWindow, type CallListFilterParams, type CallListParams } from "../../call-lists/resolve";
import type { CallListId } from "../../call-lists/lists";
import { isoDateFromDay } from "../../days";
import { CHURNED_STAGE } from "../../scoring/standing";

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

/** Accounts not active yet are onboarding work (lib/scoring/standing.ts), on no tier list. */
const ACTIVE_OR_SILENT: Condition = { sql: "s.activity <> 'not_active_yet'", accounts: false };

const LIST_CONDITIONS: Record<CallListId, (renewalsOnly: boolean) => Condition[]> = {
  high: () => [{ sql: "s.band IN ('high', 'power')", accounts: false }, ACTIVE_OR_SILENT],
  medium: (renewalsOnly) => [
    { sql: "s.band = 'medium'", accounts: false },
    ACTIVE_OR_SILENT,
    ...(renewalsOnly ? [{ sql: "a.renewal_date BETWEEN @renewalFrom AND @renewalTo", accounts: true }] : []),
  ],
  low: () => [{ sql: "s.band IN ('low', 'churn_risk')", accounts: false }, ACTIVE_OR_SILENT],
  drops: () => [{ sql: "s.declining = 1", accounts: false }],
  trials: () => [{ sql: "a.stage = 'trial'", accounts: true, equals: { column: "stage", value: "trial" } }],
  onboarding: () => [{ sql: "s.activity = 'not_active_yet'", accounts: false }],
  upsell: () => [
    { sql: "s.band IN ('high', 'power')", accounts: false },
    ACTIVE_OR_SILENT,
    // Most accounts are customers: the unary + keeps SQLite from walking the stage index.
    { sql: "+a.stage = 'customer'", accounts: true, broad: true },
  ],
};

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
  // Churned accounts are no longer customers: no list works them unless the stage filter asks
  // for them (their silence is not churn risk to intervene on). Most accounts are not churned:
  // checked row by row, never a reason to read accounts first.
  if (params.stage === null) conditions.push({ sql: `+a.stage <> '${CHURNED_STAGE}'`, accounts: true, broad: true });
  if (params.search !== "") {
    conditions.push({ sql: "a.name LIKE @search ESCAPE '\\'", accounts: true, narrows: true });
    bindings.search = containsPattern(params.search);
  }
  return { conditions, bindings };
}

export function listConditions(params: CallListParams): { conditions: Condition[]; bindings: Bindings } {
  const { conditions, bindings } = filterConditions(params);
  conditions.unshift(...LIST_CONDITIONS[params.list](params.renewalsOnly));
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
