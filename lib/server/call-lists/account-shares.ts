import "server-only";
import type { Database } from "@/db";
import { COLUMN_INDEX, type EstimatedColumn } from "./conditions";
import { cachedStatement } from "../query-cache";

/**
 * How many accounts match each value of the indexed columns, to choose a plan. Only an
 * estimate steers the choice (never the result), so it is refreshed at most once a minute
 * rather than after every write: ingestion writes all the time.
 */
export interface AccountShares {
  total: number;
  counts: Map<EstimatedColumn, Map<string, number>>;
  at: number;
}

const SHARES_TTL_MS = 60_000;
const shareCache = new WeakMap<Database, AccountShares>();

export function accountShares(db: Database): AccountShares {
  const cached = shareCache.get(db);
  if (cached && Date.now() - cached.at < SHARES_TTL_MS) return cached;
  const counts = new Map<EstimatedColumn, Map<string, number>>();
  for (const column of Object.keys(COLUMN_INDEX) as EstimatedColumn[]) {
    const rows = cachedStatement(db, `SELECT ${column}, count(*) FROM accounts INDEXED BY ${COLUMN_INDEX[column]} GROUP BY ${column}`).raw().all() as [string | null, number][];
    counts.set(column, new Map(rows.filter((r): r is [string, number] => r[0] !== null)));
  }
  const total = cachedStatement(db, "SELECT count(*) FROM accounts", { pluck: true }).get() as number;
  const shares = { total, counts, at: Date.now() };
  shareCache.set(db, shares);
  return shares;
}

