import "server-only";
import { sql } from "drizzle-orm";
import { legacyDatabaseOn, type Database } from "@/db";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { hasUnseen, markOf, type FollowMark } from "@/db/commit-horizon";
import { onSqlite } from "@/db/sqlite-client";
import type { DayNumber } from "@/lib/days";
import type { CountMatrix } from "../preview";
import { scoreWindow } from "../score";
import { existedOn } from "../standing";
import { expectRow } from "@/db/sqlite-client";

export interface CountMatrixParams {
  asOfDay: DayNumber;
  windowDays: number;
  compareDays: number;
}

interface CachedMatrix {
  key: string;
  matrix: CountMatrix;
}

const cache = globalThis as unknown as { cesCountMatrices?: CachedMatrix[] };

/**
 * A cheap fingerprint of the data a matrix is built from: new events (any writer, any
 * process) or new accounts or event types change it.
 */
/** The newest event and account ids (0: none) and how many event types there are (computed). */
interface FingerprintRow {
  e: number;
  a: number;
  t: number;
}

/** An account and its first day (null: not scored yet, LEFT JOINed), as rows and as raw tuples. */
type AccountFirstDay = Columns<typeof schema.accounts, "id"> & { firstDay: Column<typeof schema.accountScores, "firstDay"> | null };
type AccountFirstDayTuple = [id: AccountFirstDay["id"], firstDay: AccountFirstDay["firstDay"]];

/** Σ count per account and type over a window (summed rollups), as rows and as raw tuples. */
type WindowSum = Columns<typeof schema.dailyRollups, "accountId" | "typeId" | "count">;
type WindowSumTuple = [accountId: WindowSum["accountId"], typeId: WindowSum["typeId"], count: WindowSum["count"]];

function dataFingerprint(db: Database): string {
  const row = expectRow(
    db.sqlite
      .prepare<unknown[], FingerprintRow>(
        "SELECT (SELECT coalesce(max(id), 0) FROM events) AS e, (SELECT coalesce(max(id), 0) FROM accounts) AS a, (SELECT count(*) FROM event_types) AS t",
      )
      .get(),
    "the count matrix's data fingerprint",
  );
  return `${row.e}:${row.a}:${row.t}`;
}

/**
 * Event counts per account × event type in the scoring window and in the comparison window,
 * from the daily rollups. Kept in memory (a few MB at 50,000 accounts) and rebuilt when the
 * data changes, so weight previews score every account in milliseconds.
 */
export function getCountMatrix(db: Database, params: CountMatrixParams): CountMatrix {
  const key = `${db.file}|${params.asOfDay}|${params.windowDays}|${params.compareDays}|${dataFingerprint(db)}`;
  const entries = (cache.cesCountMatrices ??= []);
  const hit = entries.find((e) => e.key === key);
  if (hit) return hit.matrix;

  const matrix = buildCountMatrix(db, params);
  entries.unshift({ key, matrix });
  entries.length = Math.min(entries.length, 2); // the window in force and one being previewed
  return matrix;
}

export function buildCountMatrix(db: Database, params: CountMatrixParams): CountMatrix {
  const accounts = db.sqlite
    .prepare<unknown[], AccountFirstDayTuple>("SELECT a.id, s.first_day FROM accounts a LEFT JOIN account_scores s ON s.account_id = a.id ORDER BY a.id")
    .raw()
    .all();
  const typeIds = db.sqlite.prepare<unknown[], Column<typeof schema.eventTypes, "id">>("SELECT id FROM event_types ORDER BY id").pluck().all();
  const sums = (endDay: DayNumber) => {
    const w = scoreWindow(endDay, params.windowDays);
    return db.sqlite
      .prepare<unknown[], WindowSumTuple>("SELECT account_id, type_id, sum(count) FROM daily_rollups WHERE day BETWEEN ? AND ? GROUP BY account_id, type_id")
      .raw()
      .all(w.startDay, w.endDay);
  };
  return assembleMatrix(params, accounts, typeIds, sums(params.asOfDay), sums(params.asOfDay - params.compareDays));
}

/** The matrix from its rows: accounts with their first day, type ids, (account, type, count) sums per window. */
function assembleMatrix(
  params: CountMatrixParams,
  accounts: readonly (readonly [number, number | null])[],
  typeIds: number[],
  currentSums: readonly (readonly [number, number, number])[],
  previousSums: readonly (readonly [number, number, number])[],
): CountMatrix {
  const accountIds = Int32Array.from(accounts, (r) => r[0]);
  // An account whose first day is not known yet counts as established, as the stored scores do.
  const hasPast = Uint8Array.from(accounts, (r) => (existedOn(r[1], params.asOfDay - params.compareDays) ? 1 : 0));
  const m = typeIds.length;
  const rowOf = new Map<number, number>();
  accountIds.forEach((id, i) => rowOf.set(id, i));
  const colOf = new Map<number, number>();
  typeIds.forEach((id, j) => colOf.set(id, j));
  const current = new Float64Array(accountIds.length * m);
  const previous = new Float64Array(accountIds.length * m);

  const fill = (target: Float64Array, rows: readonly (readonly [number, number, number])[]) => {
    for (const [accountId, typeId, count] of rows) {
      const i = rowOf.get(accountId);
      const j = colOf.get(typeId);
      if (i !== undefined && j !== undefined) target[i * m + j] = count;
    }
  };
  fill(current, currentSums);
  fill(previous, previousSums);
  return { accountIds, typeIds, current, previous, hasPast };
}

/** A matrix kept on PostgreSQL, with where the events and accounts stood when it was read. */
interface PostgresCachedMatrix {
  key: string;
  events: FollowMark;
  accounts: FollowMark;
  matrix: CountMatrix;
}

const postgresCache = new WeakMap<Db, PostgresCachedMatrix[]>();

/**
 * getCountMatrix on the data layer's interface. SQLite keeps its synchronous builder and its
 * cache (the same matrix the Insights analyses use); PostgreSQL builds the matrix from the same
 * queries and keeps the last two per database, each reused while no event or account has been
 * committed that its reading did not see (db/commit-horizon.ts: ids commit out of order there,
 * so a bare max(id) could pass an event still being committed).
 */
export async function loadCountMatrix(db: Db, params: CountMatrixParams): Promise<CountMatrix> {
  const onLite = onSqlite(db, (sqlite) => getCountMatrix(legacyDatabaseOn(sqlite), params));
  if (onLite) return onLite;
  const types_ = (await db.value<number>(sql`SELECT count(*) FROM event_types`)) ?? 0;
  const key = `${params.asOfDay}|${params.windowDays}|${params.compareDays}|${types_}`;
  const entries = postgresCache.get(db) ?? [];
  for (const entry of entries) {
    if (entry.key === key && !(await hasUnseen(db, "events", entry.events)) && !(await hasUnseen(db, "accounts", entry.accounts))) return entry.matrix;
  }
  // Marked before reading: whatever commits meanwhile is read again next time.
  const events = await markOf(db, "events");
  const accountsMark = await markOf(db, "accounts");

  const accounts = await db.all<AccountFirstDay>(
    sql`SELECT a.id, s.first_day AS "firstDay" FROM accounts a LEFT JOIN account_scores s ON s.account_id = a.id ORDER BY a.id`,
  );
  const types = await db.all<Columns<typeof schema.eventTypes, "id">>(sql`SELECT id FROM event_types ORDER BY id`);
  const sums = async (endDay: DayNumber) => {
    const w = scoreWindow(endDay, params.windowDays);
    const rows = await db.all<WindowSum>(
      sql`SELECT account_id AS "accountId", type_id AS "typeId", sum(count) AS count FROM daily_rollups
        WHERE day BETWEEN ${w.startDay} AND ${w.endDay} GROUP BY account_id, type_id`,
    );
    return rows.map((r) => [r.accountId, r.typeId, r.count] as const);
  };
  const matrix = assembleMatrix(
    params,
    accounts.map((r) => [r.id, r.firstDay] as const),
    types.map((t) => t.id),
    await sums(params.asOfDay),
    await sums(params.asOfDay - params.compareDays),
  );
  postgresCache.set(db, [{ key, events, accounts: accountsMark, matrix }, ...entries.filter((e) => e.key !== key)].slice(0, 2));
  return matrix;
}
