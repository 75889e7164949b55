CREATE TABLE `applied_messages` (
	`message_id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `field_times` text;