import "server-only";
import type { Database } from "@/db";
import type { DayNumber } from "../days";
import type { CountMatrix } from "../scoring/preview";
import { scoreWindow } from "../scoring/score";
import { existedOn } from "../scoring/standing";

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
function dataFingerprint(db: Database): string {
  const row = db.sqlite
    .prepare(
      "SELECT (SELECT coalesce(max(id), 0) FROM events) AS e, (SELECT coalesce(max(id), 0) FROM accounts) AS a, (SELECT count(*) FROM event_types) AS t",
    )
    .get() as { e: number; a: number; t: number };
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
    .prepare("SELECT a.id, s.first_day FROM accounts a LEFT JOIN account_scores s ON s.account_id = a.id ORDER BY a.id")
    .raw()
    .all() as [number, number | null][];
  const accountIds = Int32Array.from(accounts, (r) => r[0]);
  // An account whose first day is not known yet counts as established, as the stored scores do.
  const hasPast = Uint8Array.from(accounts, (r) => (existedOn(r[1], params.asOfDay - params.compareDays) ? 1 : 0));
  const typeIds = db.sqlite.prepare("SELECT id FROM event_types ORDER BY id").pluck().all() as number[];
  const m = typeIds.length;
  const rowOf = new Map<number, number>();
  accountIds.forEach((id, i) => rowOf.set(id, i));
  const colOf = new Map<number, number>();
  typeIds.forEach((id, j) => colOf.set(id, j));
  const current = new Float64Array(accountIds.length * m);
  const previous = new Float64Array(accountIds.length * m);

  const fill = (target: Float64Array, endDay: DayNumber) => {
    const w = scoreWindow(endDay, params.windowDays);
    const rows = db.sqlite
      .prepare("SELECT account_id, type_id, sum(count) FROM daily_rollups WHERE day BETWEEN ? AND ? GROUP BY account_id, type_id")
      .raw()
      .all(w.startDay, w.endDay) as [number, number, number][];
    for (const [accountId, typeId, count] of rows) {
      const i = rowOf.get(accountId);
      const j = colOf.get(typeId);
      if (i !== undefined && j !== undefined) target[i * m + j] = count;
    }
  };
  fill(current, params.asOfDay);
  fill(previous, params.asOfDay - params.compareDays);
  return { accountIds, typeIds, current, previous, hasPast };
}
