CREATE TABLE `pending_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type_id` integer NOT NULL,
	`occurred_at` integer NOT NULL,
	`day` integer NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	`message_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`user_id` text,
	`anonymous_id` text,
	FOREIGN KEY (`type_id`) REFERENCES `event_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pending_events_day_message_uq` ON `pending_events` (`day`,`message_id`);--> statement-breakpoint
CREATE INDEX `pending_events_user_idx` ON `pending_events` (`user_id`);--> statement-breakpoint
CREATE INDEX `pending_events_anonymous_idx` ON `pending_events` (`anonymous_id`);--> statement-breakpoint
CREATE TABLE `score_sync` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_event_id` integer NOT NULL,
	`last_account_id` integer NOT NULL,
	`synced_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_links` (
	`user_id` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`linked_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `user_links_account_idx` ON `user_links` (`account_id`);--> statement-breakpoint
CREATE TABLE `write_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`label` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`created_by` text NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	`revoked_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `write_keys_key_hash_unique` ON `write_keys` (`key_hash`);