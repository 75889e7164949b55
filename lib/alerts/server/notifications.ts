import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { inList } from "@/db/dialect";

/** The in-app notifications menu: a person's latest notifications and how many are unread. */
export type NotificationEntry = Columns<typeof schema.notifications, "id" | "title" | "body" | "link" | "createdAt" | "readAt">;

export interface NotificationList {
  items: NotificationEntry[];
  unread: number;
}

export async function listNotifications(db: Db, params: { userId: string; limit: number }): Promise<NotificationList> {
  const items = await db.all<NotificationEntry>(sql`SELECT id, title, body, link, created_at AS "createdAt", read_at AS "readAt"
    FROM notifications WHERE user_id = ${params.userId} ORDER BY created_at DESC, id DESC LIMIT ${params.limit}`);
  return { items, unread: await unreadCount(db, { userId: params.userId }) };
}

export async function unreadCount(db: Db, params: { userId: string }): Promise<number> {
  return (await db.value<number>(sql`SELECT count(*) FROM notifications WHERE user_id = ${params.userId} AND read_at IS NULL`)) ?? 0;
}

/** Marks the given notifications (or all of them) read, only ever the person's own. Returns how many changed. */
export async function markNotificationsRead(db: Db, params: { userId: string; ids: readonly number[] | "all" }): Promise<number> {
  const which = params.ids === "all" ? sql`` : sql` AND ${inList(sql`id`, params.ids)}`;
  const result = await db.run(sql`UPDATE notifications SET read_at = ${Date.now()} WHERE user_id = ${params.userId} AND read_at IS NULL${which}`);
  return result.rowsAffected;
}
