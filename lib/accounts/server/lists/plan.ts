import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { OrderTerm } from "@/lib/accounts/lists/ordering";
import { accountShares, type AccountShares } from "./account-shares";
import { COLUMN_INDEX, type Condition } from "./conditions";
import { ORDER_SQL } from "./order";

export interface Plan {
  from: SQL;
  /** Accounts are the outer loop (their id names the tie-break). */
  accountsFirst: boolean;
  /** Every row has a renewal date inside the window. */
  renewalsBounded: boolean;
}

const ACCOUNTS_FIRST = (index: string) => sql.raw(`FROM accounts a INDEXED BY ${index} CROSS JOIN account_scores s ON s.account_id = a.id`);
const SCORE_WALK = "FROM account_scores s INDEXED BY account_scores_score_idx";
const SCORES_ONLY = sql.raw("FROM account_scores s");
const SCORES_WITH_ACCOUNTS = sql.raw("FROM account_scores s JOIN accounts a ON a.id = s.account_id");

/**
 * A row reached by walking the score index costs about this many rows read in id order
 * (an index of accounts leads to rows in id order; the score order jumps between pages).
 */
const WALK_ROW_COST = 8;
/** A name search matches few accounts, as far as a plan needs to know. */
const SEARCH_SHARE = 0.02;
/** A condition without an estimate (a renewal window, the stage of upsell) is taken to keep this share. */
const UNKNOWN_SHARE = 0.5;

function shareOf(condition: Condition, shares: AccountShares): number {
  if (condition.equals) {
    const n = shares.counts.get(condition.equals.column)?.get(condition.equals.value) ?? 0;
    return shares.total === 0 ? 0 : n / shares.total;
  }
  if (condition.broad) return 1;
  return condition.narrows ? SEARCH_SHARE : UNKNOWN_SHARE;
}

/**
 * Which table to read first, and through which index. SQLite's planner has no statistics to
 * choose well (nothing runs ANALYZE), so the choice is made here; CROSS JOIN fixes the loop
 * order and INDEXED BY the index.
 * - A list in score order (80–100, 1–40, upsell, trials, or sorted by score) can walk the
 *   score index from the top or the bottom and stop after the page. Under a filter on
 *   accounts it does so when the accounts the filter matches are common enough that the walk
 *   reaches the page sooner than reading them all would: a region or a plan, usually; a
 *   name search or a small book, rarely.
 * - Otherwise a filter on accounts reads the matching accounts first, through the index of
 *   its most selective equality (a manager's book, a plan, a region…), and looks their scores
 *   up; a name search alone scans the names' index (rows are read only for the names that match).
 * - The 40–80 renewals in renewal order: walk the renewal-date index from today.
 * - Otherwise the scores' (band, score) index leads, and accounts are joined only when a
 *   condition or the order needs them.
 * Counts (no order, no page) use the second and the last rule.
 *
 * PostgreSQL keeps statistics of its own (autovacuum analyses the tables) and has neither
 * INDEXED BY nor a join order fixed by CROSS JOIN: its planner decides.
 */
export async function planFor(db: Db, conditions: readonly Condition[], order: readonly OrderTerm[], renewalsOnly: boolean, rowsWanted: number): Promise<Plan> {
  const renewalsBounded = renewalsOnly;
  const needsAccounts = conditions.some((c) => c.accounts) || order.some((t) => ORDER_SQL[t.key].accounts);
  const joined = (): Plan => ({ from: needsAccounts ? SCORES_WITH_ACCOUNTS : SCORES_ONLY, accountsFirst: false, renewalsBounded });
  if (db.dialect === "postgres") return joined();

  const first = order[0]?.key;
  const onAccounts = conditions.filter((c) => c.accounts && !c.broad);
  const walk = (): Plan => ({ from: sql.raw(needsAccounts ? `${SCORE_WALK} CROSS JOIN accounts a ON a.id = s.account_id` : SCORE_WALK), accountsFirst: false, renewalsBounded });

  if (first === "score" && onAccounts.length === 0) return walk();
  if (onAccounts.length > 0) {
    const shares = await accountShares(db);
    const share = onAccounts.reduce((p, c) => p * shareOf(c, shares), 1);
    const leading = onAccounts
      .filter((c) => c.equals)
      .sort((a, b) => shareOf(a, shares) - shareOf(b, shares))[0];
    const leadingRows = (leading ? shareOf(leading, shares) : 1) * shares.total;
    // Walking finds the page after about rowsWanted / share rows; reading accounts first reads
    // leadingRows (and sorts them). A name search may match a single account: never walked.
    const searching = onAccounts.some((c) => c.narrows && !c.equals);
    if (first === "score" && !searching && share > 0 && (rowsWanted / share) * WALK_ROW_COST < leadingRows) return walk();
    if (conditions.some((c) => c.narrows) || leading) {
      const index = leading?.equals ? COLUMN_INDEX[leading.equals.column] : "accounts_name_idx";
      return { from: ACCOUNTS_FIRST(index), accountsFirst: true, renewalsBounded };
    }
  }
  if (renewalsOnly && first === "renewal") {
    return { from: ACCOUNTS_FIRST("accounts_renewal_idx"), accountsFirst: true, renewalsBounded };
  }
  return joined();
}

