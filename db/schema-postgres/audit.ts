import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { jsonText, millisDate, nowMillisDefault } from "./columns";
import { sql } from "drizzle-orm";

/** PostgreSQL twin of db/schema/audit.ts. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    at: millisDate("at").notNull().default(nowMillisDefault),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull().default(""),
    details: jsonText("details").notNull().default(sql`'{}'`),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_action_idx").on(t.action)],
);
