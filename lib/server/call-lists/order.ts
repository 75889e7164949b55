import "server-only";
import type { OrderKey, OrderTerm } from "../../call-lists/ordering";
import type { Plan } from "./plan";

const LAST_CONTACT_AT = "(SELECT max(c.contacted_at) FROM account_contacts c WHERE c.account_id = s.account_id)";

/** Each order key as SQL; `nullsLast` keys sort missing values last in both directions. */
export const ORDER_SQL: Record<OrderKey, { expr: string; accounts: boolean; nullsLast?: boolean }> = {
  name: { expr: "a.name COLLATE NOCASE", accounts: true },
  id: { expr: "s.account_id", accounts: false },
  score: { expr: "s.score_hundredths", accounts: false },
  // A new account has no change (no previous score): last, whichever way the column is sorted.
  change: { expr: "(CASE WHEN s.previous_activity IS NOT NULL THEN s.score_hundredths - s.previous_hundredths END)", accounts: false, nullsLast: true },
  drop: { expr: "(s.previous_hundredths - s.score_hundredths)", accounts: false },
  firstDay: { expr: "s.first_day", accounts: false, nullsLast: true },
  renewal: { expr: "a.renewal_date", accounts: true, nullsLast: true },
  trialEnd: { expr: "a.trial_end_date", accounts: true, nullsLast: true },
  arr: { expr: "a.arr", accounts: true, nullsLast: true },
  manager: { expr: "a.account_manager COLLATE NOCASE", accounts: true, nullsLast: true },
  // NULL (never contacted) sorts as the oldest contact: first ascending, last descending.
  lastContact: { expr: LAST_CONTACT_AT, accounts: false },
  renewalSoonFirst: { expr: "COALESCE(a.renewal_date BETWEEN @renewalFrom AND @renewalTo, 0)", accounts: true },
};

/**
 * ORDER BY for a plan. Written so that, where the plan walks an index in list order, SQLite
 * sees the index order and stops after the page instead of sorting the whole list: the id
 * is named on the table that leads, and the renewal date needs no "missing last" term when
 * the list only holds renewals inside the window.
 */
export function orderBy(order: readonly OrderTerm[], plan: Plan): string {
  const parts: string[] = [];
  for (const term of order) {
    const { expr, nullsLast } = term.key === "id" && plan.accountsFirst ? { expr: "a.id", nullsLast: false } : ORDER_SQL[term.key];
    if (nullsLast && !(term.key === "renewal" && plan.renewalsBounded)) parts.push(`${expr} IS NULL`);
    parts.push(`${expr} ${term.dir === "desc" ? "DESC" : "ASC"}`);
  }
  return parts.join(", ");
}

