import type { CallListId } from "./lists";
import type { SortDir, SortKey } from "./query";

/**
 * The order of a call list as a list of terms, most significant first. The server turns
 * each term into SQL (lib/accounts/server/lists/order.ts); keeping the rules here, as data, lets them
 * be read and tested on their own.
 *
 * Besides the user-sortable columns there are two rule terms:
 * - renewalSoonFirst: renewals due within the renewal window come before all others;
 * - drop: how far the score fell against the comparison day (previous − current);
 * - firstDay: the account's first known day (onboarding: the longest waiting first).
 * Every ordering ends with the account id, so pages never overlap or skip an account (ties
 * on the sorted column keep the order in which accounts were added). Ties are not broken by
 * name on purpose: that would make every page read every account's name, and the lists must
 * stay fast at 50,000 accounts.
 *
 * Missing values (no renewal date, no ARR, no manager, no trial end) sort last whichever way
 * the column is sorted; a missing last contact (never contacted) counts as the oldest.
 */
export type OrderKey = SortKey | "renewalSoonFirst" | "drop" | "firstDay" | "id";

export interface OrderTerm {
  key: OrderKey;
  dir: SortDir;
}

const TIE_BREAK: OrderTerm[] = [{ key: "id", dir: "asc" }];

/** The recommended order of each list (what PRODUCT.md says to work through first). */
export const RECOMMENDED_ORDER: Record<CallListId, OrderTerm[]> = {
  high: [{ key: "score", dir: "desc" }],
  medium: [
    { key: "renewalSoonFirst", dir: "desc" },
    { key: "renewal", dir: "asc" },
  ],
  // Churn risk is the bottom of the score range (≤ churnRiskMax, below every low score), so
  // lowest score first puts the churn-risk accounts first, most negative at the top.
  low: [{ key: "score", dir: "asc" }],
  drops: [{ key: "drop", dir: "desc" }],
  trials: [
    { key: "score", dir: "desc" },
    { key: "trialEnd", dir: "asc" },
  ],
  onboarding: [{ key: "firstDay", dir: "asc" }],
  upsell: [
    { key: "score", dir: "desc" },
    { key: "arr", dir: "desc" },
  ],
};

export interface OrderingOptions {
  /** The 40–80 list holds only renewals within the window: "renewals first" is then moot. */
  renewalsOnly?: boolean;
}

/** The full ordering of a list: the user's column if any, else the recommended order; then ties. */
export function orderingFor(list: CallListId, sort: { key: SortKey; dir: SortDir } | null, options: OrderingOptions = {}): OrderTerm[] {
  if (sort) return [{ key: sort.key, dir: sort.dir }, ...TIE_BREAK];
  const recommended = RECOMMENDED_ORDER[list].filter((t) => !(options.renewalsOnly && t.key === "renewalSoonFirst"));
  return [...recommended, ...TIE_BREAK];
}
