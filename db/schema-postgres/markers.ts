import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { millisDate, nowMillisDefault } from "./columns";

/** PostgreSQL twin of db/schema/markers.ts. */
export const changeMarkers = pgTable(
  "change_markers",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    date: text("date").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    createdAt: millisDate("created_at").notNull().default(nowMillisDefault),
  },
  (t) => [index("change_markers_date_idx").on(t.date)],
);
