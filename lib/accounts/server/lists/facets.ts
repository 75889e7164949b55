import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, NotNull } from "@/db/rows";
import type * as schema from "@/db/schema";
import { caseless } from "@/db/dialect";
import type { CallListFacets } from "@/lib/accounts/lists/types";
import { isoDateFromDay } from "@/lib/days";
import { memoUntilChange } from "@/db/query-cache";

/** The values the list filters offer, from the accounts on file (kept until anything is written, by any server). */
export async function getCallListFacets(db: Db): Promise<CallListFacets> {
  return memoUntilChange(db, "facets", () => computeFacets(db));
}

type FacetColumn = "account_manager" | "plan" | "region" | "industry";

/** One distinct value of a facet column (the query leaves NULL out). */
type FacetValue = NotNull<{ value: Column<typeof schema.accounts, "accountManager" | "plan" | "region" | "industry"> }, "value">;

/**
 * A column's distinct values, case-insensitively sorted (ASCII folded, then bytes, as SQLite's
 * NOCASE on both databases). PostgreSQL orders a DISTINCT only by selected columns: GROUP BY.
 */
function distinctValues(db: Db, column: FacetColumn): SQL {
  const name = sql.identifier(column);
  return db.dialect === "sqlite"
    ? sql`SELECT DISTINCT ${name} AS value FROM accounts WHERE ${name} IS NOT NULL ORDER BY ${caseless("sqlite", sql`${name}`)}`
    : sql`SELECT ${name} AS value FROM accounts WHERE ${name} IS NOT NULL GROUP BY ${name} ORDER BY ${caseless("postgres", sql`${name}`)} COLLATE "C", ${name} COLLATE "C"`;
}

async function computeFacets(db: Db): Promise<CallListFacets> {
  const distinct = async (column: FacetColumn) => (await db.all<FacetValue>(distinctValues(db, column))).map((r) => r.value);
  const [managers, plans, regions, industries] = await Promise.all([distinct("account_manager"), distinct("plan"), distinct("region"), distinct("industry")]);
  return { managers, plans, regions, industries };
}

/**
 * The day the stored scores are as of (ISO), or null when no account has a score yet. No index
 * leads with the day, so the max reads every score (5 ms at 50,000 accounts, a third of the call
 * list page's reads): kept until anything is written, by any server.
 */
export async function getScoresAsOf(db: Db): Promise<string | null> {
  return memoUntilChange(db, "scores-as-of", async () => {
    const day = await db.value<Column<typeof schema.accountScores, "asOfDay"> | null>(sql`SELECT max(as_of_day) FROM account_scores`);
    return day === null || day === undefined ? null : isoDateFromDay(day);
  });
}
