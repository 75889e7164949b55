-- Custom migration, the twin of SQLite's db/migrations/0012_first_day_trigger.sql: when an
-- account's signup date changes, its stored first day (account_scores.first_day,
-- lib/scoring/standing.ts) may be wrong. Clearing it marks the account for the score sync,
-- which computes it again (lib/server/score-sync.ts).
CREATE FUNCTION account_scores_signup_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE account_scores SET first_day = NULL WHERE account_id = NEW.id;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER account_scores_signup_changed AFTER UPDATE OF signup_date ON accounts FOR EACH ROW
WHEN (OLD.signup_date IS DISTINCT FROM NEW.signup_date) EXECUTE FUNCTION account_scores_signup_changed();
