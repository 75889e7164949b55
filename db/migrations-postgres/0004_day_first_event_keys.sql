DROP INDEX "daily_rollups_account_day_idx";--> statement-breakpoint
DROP INDEX "events_account_time_idx";--> statement-breakpoint
CREATE INDEX "events_day_account_time_idx" ON "events" USING btree ("day","account_id","occurred_at");