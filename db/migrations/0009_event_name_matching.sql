CREATE TABLE `event_type_aliases` (
	`name_key` text PRIMARY KEY NOT NULL,
	`type_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`created_by` text NOT NULL,
	FOREIGN KEY (`type_id`) REFERENCES `event_types`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `event_types` ADD `held` integer DEFAULT false NOT NULL;