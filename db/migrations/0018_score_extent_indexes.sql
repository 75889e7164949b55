CREATE INDEX `account_scores_as_of_idx` ON `account_scores` (`as_of_day`);--> statement-breakpoint
CREATE INDEX `account_scores_config_version_idx` ON `account_scores` (`config_version`);