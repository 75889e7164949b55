-- Custom migration (drizzle-kit generate --custom): triggers that log which accounts changed,
-- for the aggregate caches of segments, trends and before/after (see docs/adr/0004-team-views-in-memory-pre-aggregation.md).
CREATE TRIGGER `aggregate_changes_account_insert` AFTER INSERT ON `accounts`
BEGIN
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `aggregate_changes_account_update` AFTER UPDATE OF `plan`, `region`, `industry`, `account_manager`, `stage`, `signup_date` ON `accounts`
BEGIN
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (NEW.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `aggregate_changes_account_delete` AFTER DELETE ON `accounts`
BEGIN
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (OLD.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `aggregate_changes_tag_insert` AFTER INSERT ON `account_tags`
BEGIN
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (NEW.`account_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `aggregate_changes_tag_delete` AFTER DELETE ON `account_tags`
BEGIN
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (OLD.`account_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `aggregate_changes_tag_update` AFTER UPDATE ON `account_tags`
BEGIN
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (OLD.`account_id`);
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (NEW.`account_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `aggregate_changes_score_insert` AFTER INSERT ON `account_scores`
BEGIN
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (NEW.`account_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `aggregate_changes_score_update` AFTER UPDATE ON `account_scores`
BEGIN
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (NEW.`account_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `aggregate_changes_history_insert` AFTER INSERT ON `score_history`
BEGIN
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (NEW.`account_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `aggregate_changes_history_update` AFTER UPDATE ON `score_history`
BEGIN
	INSERT INTO `aggregate_changes` (`account_id`) VALUES (NEW.`account_id`);
END;
