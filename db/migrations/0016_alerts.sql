CREATE TABLE `account_score_changes` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`changed_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `account_score_changes_at_idx` ON `account_score_changes` (`changed_at`,`account_id`);--> statement-breakpoint
CREATE TABLE `alert_destinations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`secret` text,
	`events` text NOT NULL,
	`enabled` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`kind` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`params` text NOT NULL,
	`filters` text NOT NULL,
	`create_task` integer NOT NULL,
	`task_due_days` integer NOT NULL,
	`playbook` text NOT NULL,
	`notify_in_app` integer NOT NULL,
	`email_immediately` integer NOT NULL,
	`destination_ids` text NOT NULL,
	`last_evaluated_day` integer,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uid` text NOT NULL,
	`rule_kind` text NOT NULL,
	`account_id` integer,
	`dedupe_key` text NOT NULL,
	`fired_at` integer NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`details` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_uid_unique` ON `alerts` (`uid`);--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_dedupe_key_unique` ON `alerts` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `alerts_rule_account_idx` ON `alerts` (`rule_kind`,`account_id`,`fired_at`);--> statement-breakpoint
CREATE INDEX `alerts_account_idx` ON `alerts` (`account_id`,`fired_at`);--> statement-breakpoint
CREATE INDEX `alerts_fired_idx` ON `alerts` (`fired_at`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`alert_id` integer,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`link` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_unread_idx` ON `notifications` (`user_id`,`read_at`);--> statement-breakpoint
CREATE TABLE `score_configuration_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`config_version` integer NOT NULL,
	`accounts` integer NOT NULL,
	`lower_band` integer NOT NULL,
	`higher_band` integer NOT NULL,
	`became_declining` integer NOT NULL,
	`stopped_declining` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `score_transitions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`old_band` text NOT NULL,
	`new_band` text NOT NULL,
	`old_declining` integer NOT NULL,
	`new_declining` integer NOT NULL,
	`old_activity` text NOT NULL,
	`new_activity` text NOT NULL,
	`new_previous_activity` text,
	`old_score_hundredths` integer NOT NULL,
	`new_score_hundredths` integer NOT NULL,
	`old_config_version` integer NOT NULL,
	`new_config_version` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`alert_id` integer,
	`rule_kind` text,
	`title` text NOT NULL,
	`playbook` text NOT NULL,
	`assignee` text,
	`due_date` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	`completed_by_id` text,
	`completed_by_name` text,
	`contact_id` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contact_id`) REFERENCES `account_contacts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tasks_assignee_idx` ON `tasks` (`assignee`,`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `tasks_account_idx` ON `tasks` (`account_id`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_status_due_idx` ON `tasks` (`status`,`due_date`);--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_open_rule_uq` ON `tasks` (`account_id`,`rule_kind`) WHERE "tasks"."status" = 'open';--> statement-breakpoint
CREATE TABLE `alert_job_runs` (
	`job` text NOT NULL,
	`period` text NOT NULL,
	`owner` text NOT NULL,
	`lease_until` integer NOT NULL,
	`finished_at` integer,
	`result` text,
	PRIMARY KEY(`job`, `period`)
);
--> statement-breakpoint
CREATE TABLE `alert_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`smtp_host` text,
	`smtp_port` integer NOT NULL,
	`smtp_security` text NOT NULL,
	`smtp_username` text,
	`smtp_password` text,
	`from_address` text,
	`digest_hour_utc` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`label` text NOT NULL,
	`prefix` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	`revoked_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `delivery_circuits` (
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`consecutive_failures` integer NOT NULL,
	`pauses` integer NOT NULL,
	`paused_until` integer,
	`reason` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`channel`, `target`)
);
--> statement-breakpoint
CREATE TABLE `email_preferences` (
	`user_id` text PRIMARY KEY NOT NULL,
	`digest` integer NOT NULL,
	`immediate` integer NOT NULL,
	`unsubscribe_token` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_preferences_unsubscribe_token_unique` ON `email_preferences` (`unsubscribe_token`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`lease_owner` text,
	`last_attempt_at` integer,
	`last_status_code` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_message_uq` ON `outbox` (`channel`,`target`,`message_id`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_target_idx` ON `outbox` (`channel`,`target`,`created_at`);--> statement-breakpoint
CREATE TABLE `outbox_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`outbox_id` integer NOT NULL,
	`attempt` integer NOT NULL,
	`at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`status_code` integer,
	`error` text,
	`response_excerpt` text,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outbox_attempts_outbox_idx` ON `outbox_attempts` (`outbox_id`,`attempt`);