import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * How long raw events are kept (one row, id 1). Rollups and scores are kept for ever: every
 * score is derived from the rollups, so deleting old raw events changes no number. NULL keeps
 * raw events for ever. See docs/adr/0017-operating-the-product.md.
 */
export const retentionSettings = sqliteTable("retention_settings", {
  id: integer("id").primaryKey(),
  rawEventMonths: integer("raw_event_months").default(13),
  updatedAt: integer("updated_at"),
  updatedBy: text("updated_by"),
});

export type RetentionSettingsRow = typeof retentionSettings.$inferSelect;

/**
 * The last run of each scheduled job (retention, …): when it started and finished, how it
 * ended, and a JSON summary. Read by /metrics (job lag) and the readiness check.
 */
export const jobRuns = sqliteTable("job_runs", {
  name: text("name").primaryKey(),
  startedAt: integer("started_at"),
  finishedAt: integer("finished_at"),
  status: text("status").notNull().default("idle"),
  summary: text("summary").notNull().default("{}"),
});

export type JobRun = typeof jobRuns.$inferSelect;
