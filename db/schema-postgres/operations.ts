import { bigint, integer, pgTable, text } from "drizzle-orm/pg-core";

/** PostgreSQL twin of db/schema/operations.ts. */
export const retentionSettings = pgTable("retention_settings", {
  id: integer("id").primaryKey(),
  rawEventMonths: integer("raw_event_months").default(13),
  updatedAt: bigint("updated_at", { mode: "number" }),
  updatedBy: text("updated_by"),
});

export const jobRuns = pgTable("job_runs", {
  name: text("name").primaryKey(),
  startedAt: bigint("started_at", { mode: "number" }),
  finishedAt: bigint("finished_at", { mode: "number" }),
  status: text("status").notNull().default("idle"),
  summary: text("summary").notNull().default("{}"),
});
