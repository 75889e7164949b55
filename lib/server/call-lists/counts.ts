import "server-only";
import type { Database } from "@/db";
import type { CallListFilterQuery } from "../../call-lists/query";
import { resolveFilterParams, type CallListFilterParams } from "../../call-lists/resolve";
import type { CallListCounts } from "../../call-lists/types";
import type { DayNumber } from "../../days";
import { memoUntilWrite } from "../query-cache";
import { COUNTED } from "../../call-lists/membership";
import { filterConditions, ruleConditions, whereClause, type RuleColumns } from "./conditions";
import { planFor } from "./plan";

const COUNT_SOURCE_COLUMNS: RuleColumns = { band: "band", activity: "activity", declining: "declining", stage: "stage", renewalDate: "renewalDate" };

/** One sum per figure, each the rule of what it counts (lib/call-lists/membership.ts). */
const COUNT_COLUMNS = [
  ...Object.entries(COUNTED).map(([figure, rule]) => {
    const terms = ruleConditions(rule, COUNT_SOURCE_COLUMNS).map((c) => c.sql);
    return `coalesce(sum(${terms.join(" AND ")}), 0) AS ${figure}`;
  }),
  "count(*) AS total",
].join(",\n  ");

const COUNT_SOURCE = "SELECT s.band AS band, s.activity AS activity, s.declining AS declining, a.stage AS stage, a.renewal_date AS renewalDate";

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
