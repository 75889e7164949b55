import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";
import { indexedBy } from "@/db/dialect";
import { COLUMN_INDEX, ESTIMATED_COLUMNS, type EstimatedColumn } from "./conditions";

/**
 * How many accounts match each value of the indexed columns, for SQLite's plan choice
 * (./plan.ts; PostgreSQL keeps statistics of its own). Only an estimate steers the choice
 * (never the result), so it is refreshed at most once a minute rather than after every
 * write: ingestion writes all the time.
 */
export interface AccountShares {
  total: number;
  counts: Map<EstimatedColumn, Map<string, number>>;
  at: number;
}

const SHARES_TTL_MS = 60_000;
const shareCache = new WeakMap<Db, AccountShares>();

/** One value of an indexed accounts column and how many accounts hold it (computed). */
interface ValueCount {
  value: Column<typeof schema.accounts, "accountManager" | "plan" | "region" | "industry" | "stage">;
  n: number;
}

export async function accountShares(db: Db): Promise<AccountShares> {
  const cached = shareCache.get(db);
  if (cached && Date.now() - cached.at < SHARES_TTL_MS) return cached;
  const counts = new Map<EstimatedColumn, Map<string, number>>();
  for (const column of ESTIMATED_COLUMNS) {
    const name = sql.identifier(column);
    const rows = await db.all<ValueCount>(sql`SELECT ${name} AS value, count(*) AS n FROM accounts ${indexedBy(db.dialect, COLUMN_INDEX[column])} GROUP BY ${name}`);
    counts.set(column, new Map(rows.flatMap((r) => (r.value === null ? [] : [[r.value, r.n] as const]))));
  }
  const total = (await db.value<number>(sql`SELECT count(*) FROM accounts`)) ?? 0;
  const shares = { total, counts, at: Date.now() };
  shareCache.set(db, shares);
  return shares;
}
