CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text NOT NULL,
	`name` text NOT NULL,
	`plan` text,
	`region` text,
	`industry` text,
	`account_manager` text,
	`stage` text DEFAULT 'customer' NOT NULL,
	`signup_date` text,
	`trial_end_date` text,
	`renewal_date` text,
	`arr` real,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_external_id_unique` ON `accounts` (`external_id`);--> statement-breakpoint
CREATE INDEX `accounts_manager_idx` ON `accounts` (`account_manager`);--> statement-breakpoint
CREATE INDEX `accounts_renewal_idx` ON `accounts` (`renewal_date`);--> statement-breakpoint
CREATE INDEX `accounts_name_idx` ON `accounts` (`name`);--> statement-breakpoint
CREATE TABLE `daily_rollups` (
	`day` integer NOT NULL,
	`account_id` integer NOT NULL,
	`type_id` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `account_id`, `type_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`type_id`) REFERENCES `event_types`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `daily_rollups_account_day_idx` ON `daily_rollups` (`account_id`,`day`);--> statement-breakpoint
CREATE TABLE `event_types` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`weight_hundredths` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`is_new` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `event_types_key_unique` ON `event_types` (`key`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`type_id` integer NOT NULL,
	`occurred_at` integer NOT NULL,
	`day` integer NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	`message_id` text NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`type_id`) REFERENCES `event_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_day_message_uq` ON `events` (`day`,`message_id`);--> statement-breakpoint
CREATE INDEX `events_account_time_idx` ON `events` (`account_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `account_scores` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`as_of_day` integer NOT NULL,
	`score_hundredths` integer NOT NULL,
	`previous_hundredths` integer NOT NULL,
	`band` text NOT NULL,
	`previous_band` text NOT NULL,
	`declining` integer NOT NULL,
	`config_version` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `account_scores_band_score_idx` ON `account_scores` (`band`,`score_hundredths`);--> statement-breakpoint
CREATE INDEX `account_scores_score_idx` ON `account_scores` (`score_hundredths`);--> statement-breakpoint
CREATE TABLE `config_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`created_by` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`snapshot` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `score_history` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`start_day` integer NOT NULL,
	`scores` blob NOT NULL,
	`config_version` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `scoring_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`window_days` integer DEFAULT 30 NOT NULL,
	`churn_risk_max` integer DEFAULT 0 NOT NULL,
	`medium_from` integer DEFAULT 40 NOT NULL,
	`high_from` integer DEFAULT 80 NOT NULL,
	`power_above` integer DEFAULT 100 NOT NULL,
	`decline_percent` integer DEFAULT 20 NOT NULL,
	`decline_points` integer DEFAULT 10 NOT NULL,
	`compare_days` integer DEFAULT 30 NOT NULL,
	`config_version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `change_markers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`date` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `change_markers_date_idx` ON `change_markers` (`date`);--> statement-breakpoint
-- Hand-added: the single settings row, so readers never see an unconfigured app.
INSERT INTO `scoring_settings` (`id`) VALUES (1);
