import "server-only";
import type { Database } from "@/db";
import { todayDay } from "../days";

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

/** What the admin pages say about incoming data; every query is served by an index or a small table. */
export function getIngestionStatus(db: Database, params: { today?: number; topWaiting?: number } = {}): IngestionStatus {
  const { sqlite } = db;
  const today = params.today ?? todayDay();
  const waiting = sqlite
    .prepare("SELECT count(*) AS events, count(DISTINCT coalesce(user_id, anonymous_id)) AS users FROM pending_events")
    .get() as { events: number; users: number };
  return {
    eventsToday: (sqlite.prepare("SELECT coalesce(sum(count), 0) FROM daily_rollups WHERE day = ?").pluck().get(today) as number) ?? 0,
    waitingEvents: waiting.events,
    waitingUsers: waiting.users,
    topWaiting: sqlite
      .prepare(
        `SELECT coalesce(user_id, anonymous_id) AS userId, count(*) AS events, min(received_at) AS since
           FROM pending_events GROUP BY 1 ORDER BY events DESC, userId LIMIT ?`,
      )
      .all(params.topWaiting ?? 5) as WaitingUser[],
    newEventTypes: sqlite.prepare("SELECT count(*) FROM event_types WHERE is_new = 1").pluck().get() as number,
    activeKeys: sqlite.prepare("SELECT count(*) FROM write_keys WHERE revoked_at IS NULL").pluck().get() as number,
  };
}
