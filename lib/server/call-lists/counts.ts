import "server-only";
import type { Database } from "@/db";
import type { CallListFilterQuery } from "../../call-lists/query";
import { resolveFilterParams, type CallListFilterParams } from "../../call-lists/resolve";
import type { CallListCounts } from "../../call-lists/types";
import type { DayNumber } from "../../days";
import { memoUntilWrite } from "../query-cache";
import { filterConditions, whereClause } from "./conditions";
import { planFor } from "./plan";

// The same conditions as LIST_CONDITIONS: `tiered` is an account on a tier list (not onboarding).
const COUNT_COLUMNS = `
  coalesce(sum(tiered AND band IN ('high', 'power')), 0) AS high,
  coalesce(sum(tiered AND band = 'power'), 0) AS power,
  coalesce(sum(tiered AND band = 'medium'), 0) AS medium,
  coalesce(sum(tiered AND band = 'medium' AND renewalDate BETWEEN @renewalFrom AND @renewalTo), 0) AS mediumRenewals,
  coalesce(sum(tiered AND band IN ('low', 'churn_risk')), 0) AS low,
  coalesce(sum(tiered AND band = 'churn_risk'), 0) AS churnRisk,
  coalesce(sum(tiered AND band = 'churn_risk' AND activity = 'silent'), 0) AS silent,
  coalesce(sum(declining = 1), 0) AS drops,
  coalesce(sum(stage = 'trial'), 0) AS trials,
  coalesce(sum(NOT tiered), 0) AS onboarding,
  coalesce(sum(tiered AND band IN ('high', 'power') AND stage = 'customer'), 0) AS upsell,
  count(*) AS total`;

const COUNT_SOURCE =
  "SELECT s.band AS band, s.activity AS activity, s.activity <> 'not_active_yet' AS tiered, s.declining AS declining, a.stage AS stage, a.renewal_date AS renewalDate";

type ListCounts = Omit<CallListCounts, "snoozed">;

function subtractCounts(all: ListCounts, some: ListCounts): ListCounts {
  const out = { ...all };
  for (const key of Object.keys(out) as (keyof ListCounts)[]) out[key] -= some[key];
  return out;
}

/**
 * The size of every list under the shared filters, in one pass over the accounts they match
 * (memoised until the next write). The snoozed accounts (few) are counted on their own and
 * taken off, so the main pass needs no per-account snooze lookup.
 */
export function countCallLists(db: Database, params: CallListFilterParams): CallListCounts {
  return memoUntilWrite(db, `list-counts\u0000${JSON.stringify(params)}`, () => computeCounts(db, params));
}

function computeCounts(db: Database, params: CallListFilterParams): CallListCounts {
  const { conditions, bindings } = filterConditions(params);
  const { sqlite } = db;
  const where = whereClause(conditions);
  const snoozedWhere = `WHERE z.until > @todayIso${conditions.length > 0 ? ` AND ${conditions.map((c) => c.sql).join(" AND ")}` : ""}`;
  const snoozed = sqlite
    .prepare(
      `SELECT ${COUNT_COLUMNS} FROM (${COUNT_SOURCE}
         FROM account_snoozes z CROSS JOIN accounts a ON a.id = z.account_id CROSS JOIN account_scores s ON s.account_id = z.account_id
         ${snoozedWhere})`,
    )
    .get(bindings) as ListCounts;

  // Every list leaves churned accounts out unless the stage filter asks for them: there is always a condition.
  const all = sqlite.prepare(`SELECT ${COUNT_COLUMNS} FROM (${COUNT_SOURCE} ${planFor(db, conditions, [], false, Number.POSITIVE_INFINITY).from} ${where})`).get(bindings) as ListCounts;
  const visible = params.includeSnoozed ? all : subtractCounts(all, snoozed);
  return { ...visible, snoozed: snoozed.total };
}

export interface CallListCountsRequest {
  query: CallListFilterQuery;
  userBook: string | null;
  today: DayNumber;
}

export function getCallListCounts(db: Database, params: CallListCountsRequest): CallListCounts {
  return countCallLists(db, resolveFilterParams(params.query, { userBook: params.userBook, today: params.today }));
}
