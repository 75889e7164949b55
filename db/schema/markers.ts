import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Dated changes (a documentation overhaul, a pricing change) for before/after views. */
export const changeMarkers = sqliteTable(
  "change_markers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    date: text("date").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("change_markers_date_idx").on(t.date)],
);

export type ChangeMarker = typeof changeMarkers.$inferSelect;
export type NewChangeMarker = typeof changeMarkers.$inferInsert;
