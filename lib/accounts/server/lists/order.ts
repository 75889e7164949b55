import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { caseless } from "@/db/dialect";
import type { OrderKey, OrderTerm } from "@/lib/accounts/lists/ordering";
import { renewalWindow } from "@/lib/accounts/lists/membership";
import type { RuleContext } from "./conditions";
import type { Plan } from "./plan";

const LAST_CONTACT_AT = sql`(SELECT max(c.contacted_at) FROM account_contacts c WHERE c.account_id = s.account_id)`;

/**
 * Names in the order SQLite's NOCASE gives them on both databases (ASCII letters folded, then
 * bytes), whatever the PostgreSQL database's locale.
 */
function byName(context: RuleContext, column: SQL): SQL {
  return context.dialect === "sqlite" ? caseless("sqlite", column) : sql`${caseless("postgres", column)} COLLATE "C"`;
}

interface OrderSql {
  expr: (context: RuleContext) => SQL;
  /** The order needs the accounts table. */
  accounts: boolean;
  /** Missing values last in both directions. */
  nullsLast?: boolean;
}

const fixed = (expr: SQL) => () => expr;

/** Each order key as SQL; `nullsLast` keys sort missing values last in both directions. */
export const ORDER_SQL: Record<OrderKey, OrderSql> = {
  name: { expr: (c) => byName(c, sql`a.name`), accounts: true },
  id: { expr: fixed(sql`s.account_id`), accounts: false },
  score: { expr: fixed(sql`s.score_hundredths`), accounts: false },
  // A new account has no change (no previous score): last, whichever way the column is sorted.
  change: { expr: fixed(sql`(CASE WHEN s.previous_activity IS NOT NULL THEN s.score_hundredths - s.previous_hundredths END)`), accounts: false, nullsLast: true },
  drop: { expr: fixed(sql`(s.previous_hundredths - s.score_hundredths)`), accounts: false },
  firstDay: { expr: fixed(sql`s.first_day`), accounts: false, nullsLast: true },
  renewal: { expr: fixed(sql`a.renewal_date`), accounts: true, nullsLast: true },
  trialEnd: { expr: fixed(sql`a.trial_end_date`), accounts: true, nullsLast: true },
  arr: { expr: fixed(sql`a.arr`), accounts: true, nullsLast: true },
  manager: { expr: (c) => byName(c, sql`a.account_manager`), accounts: true, nullsLast: true },
  // NULL (never contacted) sorts as the oldest contact: first ascending, last descending.
  lastContact: { expr: fixed(LAST_CONTACT_AT), accounts: false },
  renewalSoonFirst: {
    expr: (c) => {
      const window = renewalWindow(c.today);
      return sql`(CASE WHEN a.renewal_date BETWEEN ${window.from} AND ${window.to} THEN 1 ELSE 0 END)`;
    },
    accounts: true,
  },
};

/**
 * ORDER BY for a plan. Written so that, where the plan walks an index in list order, SQLite
 * sees the index order and stops after the page instead of sorting the whole list: the id
 * is named on the table that leads, and the renewal date needs no "missing last" term when
 * the list only holds renewals inside the window. NULL sorts first ascending and last
 * descending on both databases (SQLite's rule; PostgreSQL is told).
 */
export function orderBy(order: readonly OrderTerm[], plan: Plan, context: RuleContext): SQL {
  const parts: SQL[] = [];
  for (const term of order) {
    const { expr, nullsLast } = term.key === "id" && plan.accountsFirst ? { expr: sql`a.id`, nullsLast: false } : { expr: ORDER_SQL[term.key].expr(context), nullsLast: ORDER_SQL[term.key].nullsLast };
    if (nullsLast && !(term.key === "renewal" && plan.renewalsBounded)) parts.push(sql`${expr} IS NULL`);
    const dir = term.dir === "desc" ? "DESC" : "ASC";
    const nulls = context.dialect === "postgres" ? (term.dir === "desc" ? " NULLS LAST" : " NULLS FIRST") : "";
    parts.push(sql`${expr} ${sql.raw(dir + nulls)}`);
  }
  return sql.join(parts, sql`, `);
}
