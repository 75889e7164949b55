import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db, Dialect } from "@/db/client";
import type { CallListFilterQuery } from "@/lib/accounts/lists/query";
import { resolveFilterParams, type CallListFilterParams } from "@/lib/accounts/lists/resolve";
import type { CallListCounts } from "@/lib/accounts/lists/types";
import { isoDateFromDay, type DayNumber } from "@/lib/days";
import { memoUntilChange } from "@/db/query-cache";
import { COUNTED } from "@/lib/accounts/lists/membership";
import { andAll, filterConditions, ruleConditions, whereClause, type RuleColumns, type RuleContext } from "./conditions";
import { planFor } from "./plan";

const COUNT_SOURCE_COLUMNS: RuleColumns = { band: sql`band`, activity: sql`activity`, declining: sql`declining`, stage: sql`stage`, renewalDate: sql`renewal_date` };

type ListCounts = Omit<CallListCounts, "snoozed">;

/** How many rows meet a condition: SQLite sums the 0/1 truth values; PostgreSQL's booleans do not sum. */
function countWhere(dialect: Dialect, condition: SQL): SQL {
  return dialect === "sqlite" ? sql`coalesce(sum(${condition}), 0)` : sql`count(*) FILTER (WHERE ${condition})`;
}

/** One count per figure, each the rule of what it counts (lib/accounts/lists/membership.ts). */
function countColumns(context: RuleContext): SQL {
  return sql.join(
    [
      ...Object.entries(COUNTED).map(([figure, rule]) => {
        const terms = ruleConditions(rule, COUNT_SOURCE_COLUMNS, context);
        return sql`${countWhere(context.dialect, andAll(terms))} AS ${sql.identifier(figure)}`;
      }),
      sql`count(*) AS total`,
    ],
    sql`,\n  `,
  );
}

const COUNT_SOURCE = sql`SELECT s.band AS band, s.activity AS activity, s.declining AS declining, a.stage AS stage, a.renewal_date AS renewal_date`;

function subtractCounts(all: ListCounts, some: ListCounts): ListCounts {
  const out = { ...all };
  for (const key of Object.keys(out) as (keyof ListCounts)[]) out[key] -= some[key];
  return out;
}

/**
 * The size of every list under the shared filters, in one pass over the accounts they match
 * (kept until anything is written, by any server). The snoozed accounts (few) are counted on
 * their own and taken off, so the main pass needs no per-account snooze lookup.
 */
export async function countCallLists(db: Db, params: CallListFilterParams): Promise<CallListCounts> {
  return memoUntilChange(db, `list-counts\u0000${JSON.stringify(params)}`, () => computeCounts(db, params));
}

async function computeCounts(db: Db, params: CallListFilterParams): Promise<CallListCounts> {
  const conditions = filterConditions(db.dialect, params);
  const columns = countColumns({ dialect: db.dialect, today: params.today });
  // SQLite: CROSS JOIN fixes the loop order (few snoozes first); PostgreSQL's planner chooses.
  const join = sql.raw(db.dialect === "sqlite" ? "CROSS JOIN" : "JOIN");
  const filters = conditions.length > 0 ? sql` AND ${andAll(conditions)}` : sql``;
  const snoozed = await db.get<ListCounts>(
    sql`SELECT ${columns} FROM (${COUNT_SOURCE}
         FROM account_snoozes z ${join} accounts a ON a.id = z.account_id ${join} account_scores s ON s.account_id = z.account_id
         WHERE z.until > ${isoDateFromDay(params.today)}${filters}) AS c`,
  );
  // Every list leaves churned accounts out unless the stage filter asks for them: there is always a condition.
  const plan = await planFor(db, conditions, [], false, Number.POSITIVE_INFINITY);
  const all = await db.get<ListCounts>(sql`SELECT ${columns} FROM (${COUNT_SOURCE} ${plan.from} ${whereClause(conditions)}) AS c`);
  if (!snoozed || !all) throw new Error("the list counts query returned no row");
  const visible = params.includeSnoozed ? all : subtractCounts(all, snoozed);
  return { ...visible, snoozed: snoozed.total };
}

export interface CallListCountsRequest {
  query: CallListFilterQuery;
  userBook: string | null;
  today: DayNumber;
}

export async function getCallListCounts(db: Db, params: CallListCountsRequest): Promise<CallListCounts> {
  return countCallLists(db, resolveFilterParams(params.query, { userBook: params.userBook, today: params.today }));
}
