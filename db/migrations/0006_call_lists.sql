CREATE TABLE `account_contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`user_name` text NOT NULL,
	`outcome` text NOT NULL,
	`contacted_at` integer NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `account_contacts_account_at_idx` ON `account_contacts` (`account_id`,`contacted_at`);--> statement-breakpoint
CREATE TABLE `account_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`user_name` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `account_notes_account_at_idx` ON `account_notes` (`account_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `account_snoozes` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`until` text NOT NULL,
	`user_id` text NOT NULL,
	`user_name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `account_snoozes_until_idx` ON `account_snoozes` (`until`);--> statement-breakpoint
DROP INDEX `accounts_manager_idx`;--> statement-breakpoint
CREATE INDEX `accounts_stage_idx` ON `accounts` (`stage`);--> statement-breakpoint
CREATE INDEX `accounts_plan_idx` ON `accounts` (`plan`);--> statement-breakpoint
CREATE INDEX `accounts_region_idx` ON `accounts` (`region`);--> statement-breakpoint
CREATE INDEX `accounts_industry_idx` ON `accounts` (`industry`);--> statement-breakpoint
CREATE INDEX `accounts_manager_idx` ON `accounts` (`account_manager`,`renewal_date`);--> statement-breakpoint
DROP INDEX `daily_rollups_account_day_idx`;--> statement-breakpoint
CREATE INDEX `daily_rollups_account_day_idx` ON `daily_rollups` (`account_id`,`day`,`count`);--> statement-breakpoint
CREATE INDEX `account_scores_drop_idx` ON `account_scores` (("previous_hundredths" - "score_hundredths")) WHERE "account_scores"."declining" = 1;