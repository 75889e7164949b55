-- Custom migration (drizzle-kit generate --custom): when an account's signup date changes, its
-- stored first day (account_scores.first_day, lib/scoring/standing.ts) may be wrong. Clearing
-- it marks the account for the score sync, which computes it again (lib/server/score-sync.ts).
CREATE TRIGGER `account_scores_signup_changed` AFTER UPDATE OF `signup_date` ON `accounts`
WHEN OLD.`signup_date` IS NOT NEW.`signup_date`
BEGIN
	UPDATE `account_scores` SET `first_day` = NULL WHERE `account_id` = NEW.`id`;
END;
