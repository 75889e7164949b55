CREATE TABLE `job_runs` (
	`name` text PRIMARY KEY NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`status` text DEFAULT 'idle' NOT NULL,
	`summary` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `retention_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`raw_event_months` integer DEFAULT 13,
	`updated_at` integer,
	`updated_by` text
);
--> statement-breakpoint
ALTER TABLE `events` ADD `user_id` text;--> statement-breakpoint
ALTER TABLE `applied_messages` ADD `user_id` text;