CREATE TABLE `renewal_outcomes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`renewal_date` text NOT NULL,
	`outcome` text NOT NULL,
	`arr_before` real,
	`arr_after` real,
	`source` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `renewal_outcomes_account_date_uq` ON `renewal_outcomes` (`account_id`,`renewal_date`);--> statement-breakpoint
CREATE INDEX `renewal_outcomes_date_idx` ON `renewal_outcomes` (`renewal_date`);