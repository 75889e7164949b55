import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Who did what to the configuration, users, keys or data, and when. Append-only. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    /** The user's id (or "system" / "cli" for actions outside a session). */
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    /** Dotted verb, e.g. "weights.save", "user.create", "key.revoke", "import.commit". */
    action: text("action").notNull(),
    /** What it acted on, e.g. "event_type:12", "user:abc", "key:ces_3f9a". */
    target: text("target").notNull().default(""),
    /** JSON with the details worth keeping (what changed, counts), never secrets. */
    details: text("details", { mode: "json" }).notNull().default(sql`'{}'`),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_action_idx").on(t.action)],
);

export type AuditEntry = typeof auditLog.$inferSelect;
