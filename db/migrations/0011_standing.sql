ALTER TABLE `account_scores` ADD `first_day` integer;--> statement-breakpoint
ALTER TABLE `account_scores` ADD `activity` text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE `account_scores` ADD `previous_activity` text DEFAULT 'active';--> statement-breakpoint
CREATE INDEX `account_scores_not_active_idx` ON `account_scores` (`first_day`) WHERE "account_scores"."activity" = 'not_active_yet';--> statement-breakpoint
CREATE INDEX `account_scores_first_day_unknown_idx` ON `account_scores` (`account_id`) WHERE "account_scores"."first_day" IS NULL;