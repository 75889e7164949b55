import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { byteOrder } from "@/db/dialect";
import { todayDay } from "@/lib/days";

export interface WaitingUser {
  userId: string;
  events: number;
  /** When the oldest waiting event was received (ms). */
  since: number;
}

export interface IngestionStatus {
  /** Events that happened today (UTC), from the rollups. */
  eventsToday: number;
  /** Events stored but not yet attributed to an account (waiting for a user link). */
  waitingEvents: number;
  waitingUsers: number;
  /** The users with most waiting events: linking them (identify/group) attributes those. */
  topWaiting: WaitingUser[];
  /** Event types registered by ingestion that no admin has weighed yet. */
  newEventTypes: number;
  activeKeys: number;
}

export interface IngestionStatusParams {
  today?: number;
  /** How many of the users with most waiting events to list. */
  topWaiting?: number;
}

/** The counts, read in one statement. */
type CountsRow = Omit<IngestionStatus, "topWaiting">;

/** What the admin pages say about incoming data; every query is served by an index or a small table. */
export async function getIngestionStatus(db: Db, params: IngestionStatusParams = {}): Promise<IngestionStatus> {
  const today = params.today ?? todayDay();
  const waitingUser = sql`coalesce(user_id, anonymous_id)`;
  const counts = await db.get<CountsRow>(sql`SELECT
      (SELECT coalesce(sum(count), 0) FROM daily_rollups WHERE day = ${today}) AS "eventsToday",
      waiting.events AS "waitingEvents",
      waiting.users AS "waitingUsers",
      (SELECT count(*) FROM event_types WHERE is_new = 1) AS "newEventTypes",
      (SELECT count(*) FROM write_keys WHERE revoked_at IS NULL) AS "activeKeys"
    FROM (SELECT count(*) AS events, count(DISTINCT ${waitingUser}) AS users FROM pending_events) AS waiting`);
  if (!counts) throw new Error("an aggregate over pending_events returned no row");
  // Ties in byte order on both databases (PostgreSQL would otherwise order by its locale).
  const topWaiting = await db.all<WaitingUser>(
    sql`SELECT ${waitingUser} AS "userId", count(*) AS events, min(received_at) AS since
          FROM pending_events GROUP BY ${waitingUser}
         ORDER BY events DESC, ${byteOrder(db.dialect, waitingUser)} LIMIT ${params.topWaiting ?? 5}`,
  );
  return { ...counts, topWaiting };
}
