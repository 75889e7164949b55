-- Custom migration (drizzle-kit generate --custom): triggers on account_scores that record, in the
-- same transaction as the score change, (1) band, declining and not-active-yet transitions for the
-- alert evaluator, with what the score meant (activity; a NULL previous_activity is a new account,
-- lib/scoring/standing.ts), and (2) when each account's score last changed, for the read API's
-- ?changedSince= (docs/adr/0016-alerts-outbox-and-read-api.md). Twins: db/migrations-postgres/0007_alert_triggers.sql.
CREATE TRIGGER `score_transitions_update` AFTER UPDATE ON `account_scores`
WHEN OLD.`band` <> NEW.`band` OR OLD.`declining` <> NEW.`declining`
	OR (OLD.`activity` = 'not_active_yet') <> (NEW.`activity` = 'not_active_yet')
BEGIN
	INSERT INTO `score_transitions` (`account_id`, `old_band`, `new_band`, `old_declining`, `new_declining`,
		`old_activity`, `new_activity`, `new_previous_activity`,
		`old_score_hundredths`, `new_score_hundredths`, `old_config_version`, `new_config_version`, `at`)
	VALUES (NEW.`account_id`, OLD.`band`, NEW.`band`, OLD.`declining`, NEW.`declining`,
		OLD.`activity`, NEW.`activity`, NEW.`previous_activity`,
		OLD.`score_hundredths`, NEW.`score_hundredths`, OLD.`config_version`, NEW.`config_version`, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `account_score_changes_insert` AFTER INSERT ON `account_scores`
BEGIN
	INSERT INTO `account_score_changes` (`account_id`, `changed_at`) VALUES (NEW.`account_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
	ON CONFLICT (`account_id`) DO UPDATE SET `changed_at` = excluded.`changed_at`;
END;
--> statement-breakpoint
CREATE TRIGGER `account_score_changes_update` AFTER UPDATE ON `account_scores`
WHEN OLD.`score_hundredths` <> NEW.`score_hundredths` OR OLD.`band` <> NEW.`band` OR OLD.`activity` <> NEW.`activity`
	OR OLD.`previous_activity` IS NOT NEW.`previous_activity`
BEGIN
	INSERT INTO `account_score_changes` (`account_id`, `changed_at`) VALUES (NEW.`account_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER))
	ON CONFLICT (`account_id`) DO UPDATE SET `changed_at` = excluded.`changed_at`;
END;
--> statement-breakpoint
-- Accounts scored before this migration: their scores count as changed now, so a first full read finds every account.
INSERT INTO `account_score_changes` (`account_id`, `changed_at`) SELECT `account_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER) FROM `account_scores`;
