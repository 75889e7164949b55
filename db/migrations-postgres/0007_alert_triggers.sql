-- Custom migration (drizzle-kit generate --custom): the twins of SQLite's triggers in
-- db/migrations/0017_alert_triggers.sql. In the transaction that changes account_scores they record
-- band, declining and not-active-yet transitions for the alert evaluator (with what the score
-- meant: activity, and a NULL previous_activity for a new account) and when each account's score
-- last changed (docs/adr/0016-alerts-outbox-and-read-api.md).
CREATE FUNCTION score_transition_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO score_transitions (account_id, old_band, new_band, old_declining, new_declining,
		old_activity, new_activity, new_previous_activity,
		old_score_hundredths, new_score_hundredths, old_config_version, new_config_version, at)
	VALUES (NEW.account_id, OLD.band, NEW.band, OLD.declining, NEW.declining,
		OLD.activity, NEW.activity, NEW.previous_activity,
		OLD.score_hundredths, NEW.score_hundredths, OLD.config_version, NEW.config_version,
		(floor(extract(epoch from clock_timestamp()) * 1000))::bigint);
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION account_score_change_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO account_score_changes (account_id, changed_at)
	VALUES (NEW.account_id, (floor(extract(epoch from clock_timestamp()) * 1000))::bigint)
	ON CONFLICT (account_id) DO UPDATE SET changed_at = EXCLUDED.changed_at;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER score_transitions_update AFTER UPDATE ON account_scores FOR EACH ROW
WHEN (OLD.band IS DISTINCT FROM NEW.band OR OLD.declining IS DISTINCT FROM NEW.declining
	OR (OLD.activity = 'not_active_yet') IS DISTINCT FROM (NEW.activity = 'not_active_yet'))
EXECUTE FUNCTION score_transition_record();
--> statement-breakpoint
CREATE TRIGGER account_score_changes_insert AFTER INSERT ON account_scores FOR EACH ROW EXECUTE FUNCTION account_score_change_record();
--> statement-breakpoint
CREATE TRIGGER account_score_changes_update AFTER UPDATE ON account_scores FOR EACH ROW
WHEN (OLD.score_hundredths IS DISTINCT FROM NEW.score_hundredths OR OLD.band IS DISTINCT FROM NEW.band
	OR OLD.activity IS DISTINCT FROM NEW.activity OR OLD.previous_activity IS DISTINCT FROM NEW.previous_activity)
EXECUTE FUNCTION account_score_change_record();
--> statement-breakpoint
-- Accounts scored before this migration: their scores count as changed now, so a first full read finds every account.
INSERT INTO account_score_changes (account_id, changed_at) SELECT account_id, (floor(extract(epoch from clock_timestamp()) * 1000))::bigint FROM account_scores;
